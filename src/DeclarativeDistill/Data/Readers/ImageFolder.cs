using System;
using System.IO;

namespace DeclarativeDistill;

public static partial class Datasets
{
    /// <summary>
    /// Opens a folder of images laid out as torchvision's <c>ImageFolder</c> expects, <c>directory/class/image.png</c>,
    /// and leaves the images on disk: each is decoded when a batch asks for it, so the folder may be larger than memory.
    /// Labels are the classes' positions in <see cref="DataSource.ClassNames"/>: the subfolders' names sorted ordinally,
    /// unless <see cref="ImageFolderOptions.ClassNames"/> fixes them. Every <c>.png</c>, <c>.jpg</c> and <c>.jpeg</c> file
    /// under a class folder is an example (any depth, sorted ordinally by path; names starting with '.' are ignored, and
    /// so are other files).
    /// <para>
    /// Each image is scaled so that it covers <paramref name="shape"/>'s H×W (its shorter side, relative to the target,
    /// becomes the target's) with linear filtering over mipmaps, then cropped to H×W about its centre, as torchvision's
    /// <c>Resize</c> and <c>CenterCrop</c> do. The features of an example are its pixels divided by 255, in [0, 1],
    /// channel-major (C, H, W), in RGB order: networks trained on this data expect that input, and so does anything
    /// that later runs them. No mean/std normalisation is applied, and EXIF orientation is ignored (as PIL does).
    /// </para>
    /// </summary>
    /// <param name="directory">The folder holding one subfolder per class.</param>
    /// <param name="shape"><c>CxHxW</c> with C = 1 (grayscale) or 3 (RGB), e.g. <c>3x32x32</c>.</param>
    /// <param name="options">Skipping unreadable images, converting channels, fixing the class order; default strict.</param>
    /// <exception cref="ArgumentException">The shape is not <c>1xHxW</c> or <c>3xHxW</c>, or the class names given are not distinct names.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The folder has no class subfolders, a class folder holds no images, or (unless <see cref="ImageFolderOptions.SkipUnreadable"/>)
    /// an image cannot be decoded, is cut short or has the wrong channels; the message names the folder or file and what is wrong.
    /// </exception>
    public static ImageFolderSource OpenImageFolder(string directory, string shape, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return ImageFolderSource.Open(directory, ParseImageShape(shape), options ?? new ImageFolderOptions());
    }

    /// <summary>
    /// Reads a folder of images (see <see cref="OpenImageFolder"/> for the layout, the resizing and the [0, 1] pixel
    /// values) into memory: every image decoded once, into one <see cref="LabeledDataset"/> with the folder's class names.
    /// </summary>
    /// <inheritdoc cref="OpenImageFolder" path="/param"/>
    /// <inheritdoc cref="OpenImageFolder" path="/exception"/>
    public static LabeledDataset FromImageFolder(string directory, string shape, ImageFolderOptions? options = null)
    {
        using var source = OpenImageFolder(directory, shape, options);
        return source.ToMemory();
    }

    private static FeatureShape ParseImageShape(string shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        FeatureShape? parsed = null;
        try
        {
            parsed = FeatureShape.Parse(shape);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // Reported below, with what an image folder needs.
        }
        if (parsed is null || !parsed.IsImage || parsed.Channels is not (1 or 3))
        {
            throw new ArgumentException(
                $"'{shape}' is not an image shape for an image folder: write CxHxW with C = 1 (grayscale) or 3 (RGB), e.g. 3x32x32.", nameof(shape));
        }
        return parsed;
    }
}
