using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>
/// How <see cref="Datasets.OpenImageFolder"/> and <see cref="Datasets.FromImageFolder"/> treat the images they find.
/// The defaults are strict: a file that cannot be read, or whose channels differ from the shape's, is an error.
/// </summary>
public sealed record ImageFolderOptions
{
    /// <summary>
    /// Leave out the images that cannot be used (not decodable, cut short, or of the wrong channels) instead of failing:
    /// opening checks every image's header and end without decoding its pixels, and lists what it left out, with why, in
    /// <see cref="ImageFolderSource.Skipped"/>. Default false: the first such image is an error naming it.
    /// </summary>
    public bool SkipUnreadable { get; init; }

    /// <summary>
    /// Convert an image whose channels differ from the shape's: a grayscale image is replicated into R, G and B for a
    /// 3-channel shape, a colour image becomes its luminance (0.299 R + 0.587 G + 0.114 B, as PIL's <c>convert("L")</c>)
    /// for a 1-channel shape. Default false: such an image is an error naming the file, its channels and the shape's,
    /// because a folder of mixed channels is more often a mistake than a choice.
    /// </summary>
    public bool ConvertChannels { get; init; }

    /// <summary>
    /// The classes in label order (label = position), to fix the labels independently of the folders found, for example
    /// a test folder read with the training folder's <see cref="DataSource.ClassNames"/>. Every subfolder must be listed;
    /// a listed class may have no folder, or an empty one, and then has no examples. Default null: the subfolders'
    /// names sorted ordinally, each of which must hold at least one image.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// Give pixels as they are stored, 0 to 255, instead of divided by 255. With a network that normalises its own inputs
    /// (<c>InputNormalization = Normalization.Fit(train)</c>), its exported ONNX file then takes the pixels an application
    /// decodes, with no scaling of the app's own. Default false: pixels in [0, 1].
    /// </summary>
    public bool RawPixels { get; init; }
}
