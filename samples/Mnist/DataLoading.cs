using System;
using System.IO;
using System.Linq;
using DeclarativeDistill;
using TorchSharp;

namespace Samples.Mnist;

/// <summary>
/// Turns the sample's <c>--data</c> path into a training and a test set, whatever layout it is in. Every layout comes
/// out as the IDX files do: 28×28 grayscale images as rows of 784 features in [0, 1], so that the models, the jitter
/// and the held-out selection see the same data from each. The layout is recognised from the names in the path.
/// </summary>
public static class DataLoading
{
    /// <summary>The accepted layouts, one sentence each, for the option's help and for the error when a path matches none.</summary>
    public static readonly string[] Layouts =
    {
        "an IDX directory: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] (pixels ÷ 255)",
        "an image folder: train/ and test/, each with one subfolder of PNG or JPEG images per class, read as 28×28 grayscale (pixels ÷ 255); "
            + "an optional classes.txt beside them lists the classes in label order, one a line, else the folders' names sorted",
        "CSV: a directory with train.csv and test.csv, or one .csv file of which a fifth is held out for testing; 784 pixel columns "
            + "already in [0, 1] (used as written) and a 'label' column",
        "NumPy: a directory with train_x.npy, train_y.npy, test_x.npy and test_y.npy; images [N, 28, 28] of pixels 0..255 "
            + "(e.g. uint8), which are divided by 255, and integer labels",
    };

    private static string Accepted => string.Concat(Layouts.Select(layout => Environment.NewLine + "  - " + layout));

    private const string ImageShape = "1x28x28";
    private static readonly FeatureShape Row = new(784);

    /// <summary>Loads <paramref name="path"/> in the first layout it matches, and says which that was.</summary>
    /// <param name="path">A directory, or a single CSV file.</param>
    /// <param name="seed">Seeds the split of a single CSV file.</param>
    /// <exception cref="IOException">The path does not exist or a file is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// The path matches no layout (the message lists them), or a file cannot be read as its layout needs (classes.txt included).
    /// </exception>
    public static (LabeledDataset Train, LabeledDataset Test, string Layout) Load(string path, long seed)
    {
        if (File.Exists(path))
        {
            if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{path} is a file but not a .csv file.{Accepted}");
            }
            var (train, test) = SplitCsv(path, seed);
            return (train, test, "one CSV file, a fifth held out for testing");
        }
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{path} does not exist.");
        }
        string In(string name) => Path.Combine(path, name);
        bool Has(params string[] files) => files.All(f => File.Exists(In(f)));
        if (Directory.EnumerateFiles(path, "train-images*").Any())
        {
            var (train, test) = Datasets.FromIdxDirectory(path);
            return (train, test, "IDX files");
        }
        if (Directory.Exists(In("train")) && Directory.Exists(In("test")))
        {
            var (train, test) = ImageFolders(path);
            return (train, test, "image folder");
        }
        if (Has("train.csv", "test.csv"))
        {
            var (train, test) = BothOrNeither(() => Csv(In("train.csv")), t => Csv(In("test.csv"), t));
            return (train, test, "CSV files");
        }
        if (Has("train_x.npy", "train_y.npy", "test_x.npy", "test_y.npy"))
        {
            var (train, test) = BothOrNeither(() => NumPy(In("train_x.npy"), In("train_y.npy")), _ => NumPy(In("test_x.npy"), In("test_y.npy")));
            return (train, test, "NumPy arrays");
        }
        throw new InvalidDataException($"{path} matches none of the layouts --data takes.{Accepted}");
    }

    /// <summary>train/ and test/ as image folders; the test set is read with the training set's classes, so their labels agree.</summary>
    private static (LabeledDataset, LabeledDataset) ImageFolders(string directory)
    {
        string classesFile = Path.Combine(directory, "classes.txt");
        var classes = File.Exists(classesFile) ? File.ReadAllLines(classesFile).Where(line => line.Length > 0).ToArray() : null;
        LabeledDataset Read(string split, ImageFolderOptions options)
        {
            using var images = Datasets.FromImageFolder(Path.Combine(directory, split), ImageShape, options);
            return images.WithShape(Row);
        }
        var options = new ImageFolderOptions { ConvertChannels = true, ClassNames = classes };
        try
        {
            return BothOrNeither(() => Read("train", options), train => Read("test", options with { ClassNames = train.ClassNames }));
        }
        catch (ArgumentException e) when (classes is not null)
        {
            throw new InvalidDataException($"{classesFile}: {e.Message}", e); // a name given twice, or blank
        }
    }

    private static (LabeledDataset, LabeledDataset) SplitCsv(string file, long seed)
    {
        using var all = Csv(file);
        return all.Split(test: 0.2, unchecked((int)seed));
    }

    /// <summary>
    /// A CSV file of pixels already in [0, 1] (they are not scaled: a file of 0..255 is refused rather than trained on
    /// as it is) and a 'label' column; the test file is read with the training file's class names, if it had any.
    /// </summary>
    private static LabeledDataset Csv(string file, LabeledDataset? train = null)
    {
        var data = Datasets.FromCsv(file, new CsvOptions { Label = "label", ClassNames = train?.ClassNames });
        float smallest, largest;
        using (torch.NewDisposeScope())
        {
            (smallest, largest) = (data.Features.min().item<float>(), data.Features.max().item<float>());
        }
        if (smallest < 0 || largest > 1)
        {
            data.Dispose();
            throw new InvalidDataException(
                $"{file}: pixels must be in [0, 1] and are used as written, but they range from {smallest} to {largest}. Divide 0..255 pixels by 255 when writing the file.");
        }
        return data;
    }

    /// <summary>Images of whole numbers 0..255 (uint8 as NumPy saves MNIST), divided by 255 here as the IDX reader does.</summary>
    private static LabeledDataset NumPy(string images, string labels)
    {
        using var raw = Datasets.FromNumPy(images, labels);
        bool pixels;
        using (torch.NewDisposeScope())
        {
            pixels = raw.Features.ge(0).all().item<bool>() && raw.Features.le(255).all().item<bool>()
                && raw.Features.eq(raw.Features.round()).all().item<bool>();
        }
        if (!pixels)
        {
            throw new InvalidDataException(
                $"{images}: expected pixels 0..255 (they are divided by 255 here), but some are fractions, negative or above 255. Save the images as uint8.");
        }
        using var scaled = raw.Features.div(255f);
        return new LabeledDataset(scaled.reshape(raw.Count, Row.Size), raw.Labels.clone(), raw.ClassCount);
    }

    /// <summary>Reads the training set, then the test set; if the second fails, the first is freed.</summary>
    private static (LabeledDataset, LabeledDataset) BothOrNeither(Func<LabeledDataset> readTrain, Func<LabeledDataset, LabeledDataset> readTest)
    {
        var train = readTrain();
        try
        {
            return (train, readTest(train));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }
}
