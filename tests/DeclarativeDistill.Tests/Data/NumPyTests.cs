using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>
/// The NumPy readers against files written by real NumPy (tools/numpy-fixtures/make_fixtures.py) and the values NumPy
/// read back from them (NumPyFixtures/expected.json); faults are made from a fixture's bytes in a temporary directory.
/// </summary>
public sealed class NumPyTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Data", "NumPyFixtures");

    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "expected.json"))).RootElement.GetProperty("arrays"));

    private readonly string directory = Directory.CreateTempSubdirectory("dd-numpy-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("f32_vectors.npy", "5")]
    [InlineData("f64_vectors.npy", "3")]
    [InlineData("f16_vectors.npy", "4")]
    [InlineData("i8_vectors.npy", "4")]
    [InlineData("i16_vectors.npy", "4")]
    [InlineData("i32_vectors.npy", "4")]
    [InlineData("i64_vectors.npy", "4")]
    [InlineData("u8_images.npy", "1x6x7")]
    [InlineData("f32_images.npy", "2x4x4")]
    [InlineData("f32_big_endian.npy", "3")]
    [InlineData("f32_version2.npy", "3")]
    public void Features_of_every_type_and_shape_are_the_values_NumPy_reads(string file, string shape)
    {
        using var data = Datasets.FromNumPy(Fixture(file));

        Assert.Equal(FeatureShape.Parse(shape), data.Shape);
        long[] numpy = ExpectedShape(file);
        Assert.Equal(numpy.Length == 3 ? new[] { numpy[0], 1, numpy[1], numpy[2] } : numpy, data.Features.shape);
        Assert.Equal(ExpectedFloats(file), data.Features.data<float>().ToArray());
        SyntheticData.AssertClose(Expected.Value.GetProperty(file).GetProperty("sum").GetDouble(), data.Features.sum().item<float>(), 1e-3, file);
        Assert.False(data.HasLabels);
    }

    [Fact]
    public void Uint8_pixels_come_in_unscaled_as_0_to_255()
    {
        using var data = Datasets.FromNumPy(Fixture("u8_images.npy"));

        float[] values = data.Features.data<float>().ToArray();
        Assert.True(values.Max() > 200, $"largest pixel {values.Max()}");
        Assert.All(values, v => Assert.Equal(Math.Round(v), v));
    }

    [Theory]
    [InlineData("f32_vectors.npy", "i64_labels.npy", null, 4)]
    [InlineData("u8_images.npy", "i32_labels.npy", 10, 10)]
    [InlineData("f32_images.npy", "u8_labels.npy", null, 3)]
    [InlineData("f32_vectors.npy", "f64_labels.npy", 3, 3)]
    [InlineData("f32_big_endian.npy", "i64_big_endian_labels.npy", null, 2)]
    public void Labels_of_any_integer_type_and_whole_floats_are_NumPys(string features, string labels, int? classCount, int classes)
    {
        using var data = Datasets.FromNumPy(Fixture(features), Fixture(labels), classCount);

        Assert.Equal(ExpectedLongs(labels), data.Labels.data<long>().ToArray());
        Assert.Equal(classes, data.ClassCount);
        Assert.Equal(ExpectedFloats(features), data.Features.data<float>().ToArray());
    }

    [Fact]
    public void An_archive_of_savez_is_read_with_the_default_names()
    {
        using var data = Datasets.FromNumPyArchive(Fixture("stored.npz"));

        Assert.Equal(new FeatureShape(4), data.Shape);
        Assert.Equal(ExpectedFloats("stored.npz/x"), data.Features.data<float>().ToArray());
        Assert.Equal(ExpectedLongs("stored.npz/y"), data.Labels.data<long>().ToArray());
        Assert.Equal(3, data.ClassCount);
    }

    [Fact]
    public void An_archive_of_savez_compressed_is_read_by_the_names_given()
    {
        using var data = Datasets.FromNumPyArchive(Fixture("compressed.npz"), features: "images", labels: "targets", classCount: 2);
        using var unlabeled = Datasets.FromNumPyArchive(Fixture("compressed.npz"), features: "images", labels: null);

        Assert.Equal(new FeatureShape(1, 3, 3), data.Shape);
        Assert.Equal(ExpectedFloats("compressed.npz/images"), data.Features.data<float>().ToArray());
        Assert.Equal(ExpectedLongs("compressed.npz/targets"), data.Labels.data<long>().ToArray());
        Assert.Equal(2, data.ClassCount);
        Assert.False(unlabeled.HasLabels);
        Assert.Equal(ExpectedFloats("compressed.npz/images"), unlabeled.Features.data<float>().ToArray());
    }

    [Theory]
    [InlineData("x", "y", "features", "'x'")]
    [InlineData("images", "y", "labels", "'y'")]
    public void A_missing_array_in_an_archive_lists_the_arrays_it_has(string features, string labels, string parameter, string missing)
    {
        string path = Fixture("compressed.npz");

        var error = Assert.Throws<ArgumentException>(() => Datasets.FromNumPyArchive(path, features, labels));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(path, error.Message);
        Assert.Contains($"no array {missing}", error.Message);
        Assert.Contains("'images', 'targets', 'extra'", error.Message);
    }

    [Theory]
    [InlineData("f32_images.npy", "u8_labels.npy")]
    [InlineData("u8_images.npy", "i32_labels.npy")]
    [InlineData("f64_vectors.npy", null)]
    [InlineData("f32_big_endian.npy", "i64_big_endian_labels.npy")]
    public void OpenNumPy_reads_the_batches_FromNumPy_holds_from_several_threads(string features, string? labels)
    {
        using var memory = Datasets.FromNumPy(Fixture(features), labels is null ? null : Fixture(labels));
        using var source = Datasets.OpenNumPy(Fixture(features), labels is null ? null : Fixture(labels));
        Assert.Equal(memory.Count, source.Count);
        Assert.Equal(memory.Shape, source.Shape);
        Assert.Equal(memory.ClassCount, source.ClassCount);
        Assert.Equal(memory.HasLabels, source.HasLabels);
        Assert.Equal(Fixture(features), source.Origin);

        var failures = new ConcurrentBag<string>();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, batch =>
        {
            var random = new Random(batch);
            long[] indices = Enumerable.Range(0, 1 + random.Next(2 * memory.Count)).Select(_ => (long)random.Next(memory.Count)).ToArray();
            using var scope = NewDisposeScope();
            var (expectedFeatures, expectedLabels) = memory.ReadBatch(indices);
            var (features, batchLabels) = source.ReadBatch(indices);
            if (!SyntheticData.Same(expectedFeatures, features))
            {
                failures.Add($"batch {batch}: features differ");
            }
            if ((expectedLabels is null) != (batchLabels is null) || (batchLabels is not null && !SyntheticData.Same(expectedLabels!, batchLabels)))
            {
                failures.Add($"batch {batch}: labels differ");
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Fit_on_a_mapped_file_gives_the_losses_and_weights_of_the_same_file_in_memory()
    {
        using var memory = Datasets.FromNumPy(Fixture("cluster_x.npy"), Fixture("cluster_y.npy"));
        using var mapped = Datasets.OpenNumPy(Fixture("cluster_x.npy"), Fixture("cluster_y.npy"));
        Assert.Equal(ExpectedLongs("cluster_y.npy"), memory.Labels.data<long>().ToArray());
        SyntheticData.AssertClose(Expected.Value.GetProperty("cluster_x.npy").GetProperty("sum").GetDouble(), memory.Features.sum().item<float>(), 1e-3, "sum");

        var (inMemoryLosses, inMemoryState) = Train(memory);
        var (mappedLosses, mappedState) = Train(mapped);

        Assert.Equal(inMemoryLosses, mappedLosses);
        Assert.All(inMemoryState.Zip(mappedState), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
        Assert.True(inMemoryLosses[^1] < inMemoryLosses[0], $"the network learned: {string.Join(", ", inMemoryLosses)}");
    }

    private static (double[] Losses, Tensor[] State) Train(DataSource data)
    {
        manual_seed(61);
        using var model = new ClusterTeacher();
        var losses = model.Fit(data, new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 62 }).Epochs.Select(e => e.Loss).ToArray();
        return (losses, model.parameters().Select(p => p.detach().clone()).ToArray());
    }

    [Theory]
    [InlineData("fortran_order.npy", "np.ascontiguousarray")]
    [InlineData("objects.npy", "Python objects (dtype object)")]
    [InlineData("structured.npy", "structured (record) array")]
    [InlineData("bools.npy", "booleans")]
    [InlineData("five_dims.npy", "found a 5-D array of shape (2, 1, 1, 1, 2)")]
    [InlineData("i64_labels.npy", "found a 1-D array of shape (6,)")]
    public void An_array_that_is_not_features_is_refused_with_what_is_wrong(string file, string expected)
    {
        string path = Fixture(file);

        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPy(path));
        var mapped = Assert.Throws<InvalidDataException>(() => Datasets.OpenNumPy(path));

        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Equal(error.Message, mapped.Message);
    }

    [Theory]
    [InlineData("short_labels.npy", null, "f32_vectors.npy holds 6 examples but", "short_labels.npy holds 5 labels")]
    [InlineData("negative_labels.npy", null, "the label of example 3 is -1", "class indices from 0")]
    [InlineData("i64_labels.npy", 3, "the label of example 1 is 3", "out of range for 3 classes")]
    [InlineData("f64_fractional_labels.npy", null, "the label of example 2 is 2.5", "not a class index")]
    [InlineData("f64_vectors.npy", null, "labels must be a 1-D array", "found shape (4, 3)")]
    public void Labels_that_are_not_class_indices_of_the_examples_are_refused(string labels, int? classCount, string expected, string alsoExpected)
    {
        string path = Fixture(labels);

        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPy(Fixture("f32_vectors.npy"), path, classCount));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains(alsoExpected, error.Message);
    }

    [Theory]
    [InlineData("f32_nan.npy", "example 2 holds nan at flat feature index 1;", 2)]
    [InlineData("f32_inf_images.npy", "example 1 holds -inf at flat feature index 2 (channel 0, row 1, column 0);", 1)]
    [InlineData("f64_overflow.npy", "example 1 holds 1E+300, beyond the range of float32, at flat feature index 1;", 1)]
    public void A_non_finite_feature_names_the_file_the_example_and_the_index(string file, string expected, int example)
    {
        string path = Fixture(file);

        var loaded = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPy(path));
        Assert.StartsWith($"{path}: {expected}", loaded.Message);

        // On disk, the file opens, and the fault is found in the batch that holds the example.
        using var source = Datasets.OpenNumPy(path);
        using (var scope = NewDisposeScope())
        {
            source.ReadBatch(new long[] { 0 });
        }
        var read = Assert.Throws<InvalidDataException>(() => source.ReadBatch(new long[] { 0, example }));
        Assert.Equal(loaded.Message, read.Message);
    }

    [Fact]
    public void A_truncated_file_names_the_declared_and_the_present_data()
    {
        string path = Copy("f32_vectors.npy", bytes => bytes[..^4]);

        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenNumPy(path));

        Assert.Equal($"{path}: truncated: the header declares shape (6, 5) of <f4 = 120 bytes of data but only 116 follow.", error.Message);
    }

    [Fact]
    public void Bytes_after_the_declared_data_are_refused()
    {
        string path = Copy("f32_vectors.npy", bytes => bytes.Concat(new byte[3]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPy(path));

        Assert.Equal($"{path}: 3 unexpected bytes after the 120 bytes of data the header declares (shape (6, 5) of <f4).", error.Message);
    }

    [Theory]
    [InlineData(0, "it is empty")]
    [InlineData(5, "it starts with 934E554D50")]
    public void An_empty_or_short_file_is_not_a_npy_file(int length, string expected)
    {
        string path = Copy("f32_vectors.npy", bytes => bytes[..length]);

        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenNumPy(path));

        Assert.StartsWith($"{path}: not a .npy file ({expected};", error.Message);
    }

    [Fact]
    public void A_file_with_another_magic_is_not_a_npy_file_and_an_archive_is_pointed_to_its_reader()
    {
        string path = Copy("f32_vectors.npy", bytes => { bytes[1] = (byte)'n'; return bytes; });
        string archive = Fixture("stored.npz");

        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPy(path));
        var zip = Assert.Throws<InvalidDataException>(() => Datasets.OpenNumPy(archive));
        var notZip = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPyArchive(Fixture("f32_vectors.npy")));

        Assert.StartsWith($"{path}: not a .npy file (it starts with 936E554D5059", error.Message);
        Assert.StartsWith($"{archive}: not a .npy file", zip.Message);
        Assert.Contains("Datasets.FromNumPyArchive", zip.Message);
        Assert.StartsWith($"{Fixture("f32_vectors.npy")}: not an .npz archive", notZip.Message);
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        string path = Copy("f32_vectors.npy", bytes => { bytes[6] = 4; return bytes; });

        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPy(path));

        Assert.Equal($"{path}: .npy format version 4.0 is not supported (this reader knows 1.0, 2.0 and 3.0).", error.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': Flase, 'shape': (6, 5), }", "not parseable (expected a value")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 5), ", "not parseable (expected a string key or '}' at character")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shap': (6, 5), }", "the .npy header has no shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (6, -5), }", "the header's shape is not a tuple of sizes")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (6, 5), }", "complex numbers")]
    [InlineData("{'descr': '<f3', 'fortran_order': False, 'shape': (6, 5), }", "dtype '<f3' is not supported")]
    public void A_header_that_cannot_be_read_says_what_is_wrong(string header, string expected)
    {
        string path = WithHeader("f32_vectors.npy", header);

        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenNumPy(path));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (6L, 5L)}")] // Python 2's repr
    [InlineData("{'shape':(6,5),'fortran_order':False,'descr':'<f4'}")] // reordered, no spaces, no trailing comma
    public void Headers_written_otherwise_than_today_are_read(string header)
    {
        using var data = Datasets.FromNumPy(WithHeader("f32_vectors.npy", header));

        Assert.Equal(new FeatureShape(5), data.Shape);
        Assert.Equal(ExpectedFloats("f32_vectors.npy"), data.Features.data<float>().ToArray());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = Path.Combine(directory, "absent.npy");

        Assert.Equal(path, Assert.Throws<FileNotFoundException>(() => Datasets.FromNumPy(path)).FileName);
        Assert.Equal(path, Assert.Throws<FileNotFoundException>(() => Datasets.OpenNumPy(Fixture("f32_vectors.npy"), path)).FileName);
        Assert.Equal(path, Assert.Throws<FileNotFoundException>(() => Datasets.FromNumPyArchive(path)).FileName);
    }

    [Fact]
    public void A_member_of_an_archive_is_named_in_its_errors()
    {
        string path = Fixture("compressed.npz");

        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromNumPyArchive(path, features: "extra", labels: null));

        Assert.StartsWith($"{path} (member extra.npy): features must be a 2-D array", error.Message);
    }

    private static string Fixture(string file) => Path.Combine(Fixtures, file);

    private static long[] ExpectedShape(string name) =>
        Expected.Value.GetProperty(name).GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    private static float[] ExpectedFloats(string name) =>
        Expected.Value.GetProperty(name).GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static long[] ExpectedLongs(string name) =>
        Expected.Value.GetProperty(name).GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    /// <summary>A fixture's bytes, changed, in the temporary directory.</summary>
    private string Copy(string file, Func<byte[], byte[]> change)
    {
        string path = Path.Combine(directory, "changed-" + file);
        File.WriteAllBytes(path, change(File.ReadAllBytes(Fixture(file))));
        return path;
    }

    /// <summary>A fixture with its header text replaced by <paramref name="header"/>, padded with spaces to the same length.</summary>
    private string WithHeader(string file, string header) => Copy(file, bytes =>
    {
        int length = bytes[8] | (bytes[9] << 8);
        Assert.True(header.Length < length, "the new header fits");
        var padded = Encoding.ASCII.GetBytes(header.PadRight(length - 1) + "\n");
        return bytes[..10].Concat(padded).Concat(bytes[(10 + length)..]).ToArray();
    });
}
