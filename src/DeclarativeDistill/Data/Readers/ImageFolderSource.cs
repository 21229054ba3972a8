using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// A folder of images, one subfolder per class, read from disk a batch at a time (<see cref="Datasets.OpenImageFolder"/>
/// describes the layout, the resizing and the [0, 1] pixel values). Opening lists the images and checks each one's header
/// without decoding it; <see cref="DataSource.Read"/> decodes the images a batch asks for.
/// </summary>
public sealed class ImageFolderSource : DataSource
{
    private readonly string directory;
    private readonly bool convertChannels;
    private readonly float pixelDivisor;
    private readonly string[] files;
    private readonly long[] labels;
    private readonly IReadOnlyList<string> classNames;

    private ImageFolderSource(
        string directory, FeatureShape shape, bool convertChannels, float pixelDivisor, IReadOnlyList<string> classNames,
        IReadOnlyList<(string File, int Label)> images, IReadOnlyList<(string File, string Reason)> skipped)
    {
        this.directory = directory;
        this.convertChannels = convertChannels;
        this.pixelDivisor = pixelDivisor;
        this.classNames = classNames;
        Shape = shape;
        files = images.Select(image => image.File).ToArray();
        labels = images.Select(image => (long)image.Label).ToArray();
        Skipped = skipped;
    }

    /// <summary>Lists and checks the images of <paramref name="directory"/>; see <see cref="Datasets.OpenImageFolder"/>.</summary>
    internal static ImageFolderSource Open(string directory, FeatureShape shape, ImageFolderOptions options)
    {
        var layout = ImageFolderLayout.Scan(directory, options.ClassNames);
        var usable = new List<(string File, int Label)>(layout.Images.Count);
        var skipped = new List<(string File, string Reason)>();
        foreach (var image in layout.Images)
        {
            if (ImageFileCheck.Problem(image.File, shape, options.ConvertChannels) is not { } problem)
            {
                usable.Add(image);
            }
            else if (options.SkipUnreadable)
            {
                skipped.Add((image.File, problem));
            }
            else
            {
                throw new InvalidDataException(
                    $"{image.File}: {problem}. (To leave out the images that cannot be used, set ImageFolderOptions.SkipUnreadable.)");
            }
        }
        if (usable.Count == 0)
        {
            throw new InvalidDataException(
                $"{directory} holds no usable images: all {skipped.Count} were skipped, the first, {skipped[0].File}, because {skipped[0].Reason}.");
        }
        return new ImageFolderSource(directory, shape, options.ConvertChannels, options.RawPixels ? 1f : 255f, layout.ClassNames, usable, skipped);
    }

    /// <summary>Every image, class by class, in order: example i is <c>Files[i]</c>.</summary>
    public IReadOnlyList<string> Files => files;

    /// <summary>The images <see cref="ImageFolderOptions.SkipUnreadable"/> left out, with why (empty when nothing was left out).</summary>
    public IReadOnlyList<(string File, string Reason)> Skipped { get; }

    /// <summary>N, the number of images.</summary>
    public override int Count => files.Length;

    /// <summary>The shape every image is decoded to: <c>CxHxW</c>.</summary>
    public override FeatureShape Shape { get; }

    /// <summary>The number of classes: the subfolders, or the fixed class names.</summary>
    public override int ClassCount => classNames.Count;

    /// <summary>True: each image is labelled by its class folder.</summary>
    public override bool HasLabels => true;

    /// <summary>The classes by label: the subfolders' names sorted ordinally, or the fixed class names.</summary>
    public override IReadOnlyList<string> ClassNames => classNames;

    /// <summary>The folder the images were listed from.</summary>
    public override string Origin => directory;

    /// <summary>Every image's label, from its class folder: a split or a class count decodes no image.</summary>
    protected internal override long[] ReadLabels() => (long[])labels.Clone();

    /// <summary>Decodes the images at <paramref name="indices"/>; each call uses its own decoders, so calls may run at once.</summary>
    /// <exception cref="InvalidDataException">An image's pixel data is corrupt or the file changed since it was opened; the message names it.</exception>
    protected internal override void Read(ReadOnlySpan<long> indices, Span<float> features, Span<long> batchLabels)
    {
        int size = FeatureSize;
        for (int i = 0; i < indices.Length; i++)
        {
            long index = indices[i];
            ImageDecoder.Decode(files[index], Shape, convertChannels, pixelDivisor, features.Slice(i * size, size));
            if (!batchLabels.IsEmpty)
            {
                batchLabels[i] = labels[index];
            }
        }
    }
}
