using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

public class DatasetTests
{
    [Fact]
    public void The_embedded_mnist_sample_is_a_fixed_split_of_real_digits()
    {
        var (train, test) = Datasets.MnistSample();
        using (train)
        using (test)
        {
            Assert.Equal(8000, train.Count);
            Assert.Equal(2000, test.Count);
            Assert.Equal(784, train.FeatureSize);
            Assert.Equal(10, train.ClassCount);
            Assert.Equal(0, train.Features.min().item<float>());
            Assert.Equal(1, train.Features.max().item<float>());

            // All ten digits in both parts, in the proportions of the npm package (1001 zeros ... 978 nines in all).
            var trainCounts = train.Labels.bincount(null).data<long>().ToArray();
            var testCounts = test.Labels.bincount(null).data<long>().ToArray();
            Assert.Equal(new long[] { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 },
                trainCounts.Zip(testCounts, (a, b) => a + b).ToArray());
            Assert.All(testCounts, c => Assert.InRange(c, 150, 260));

            // Real handwriting: about a fifth of an MNIST image is ink.
            double ink = train.Features.gt(0.5).to_type(ScalarType.Float32).mean().item<float>();
            Assert.InRange(ink, 0.08, 0.25);
        }
    }

    [Fact]
    public void Features_must_be_float_matrices()
    {
        using var labels = tensor(new long[] { 0, 1 });
        var error = Assert.Throws<ArgumentException>(() => new LabeledDataset(zeros(2, 3, dtype: ScalarType.Float64), labels));
        Assert.Contains("float32", error.Message);
        error = Assert.Throws<ArgumentException>(() => new LabeledDataset(zeros(2), labels));
        Assert.Contains("2-D", error.Message);
    }

    [Fact]
    public void Labels_must_be_int64_vectors_of_the_same_length()
    {
        using var features = zeros(3, 2);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => new LabeledDataset(features, zeros(3, dtype: ScalarType.Int32))).Message);
        Assert.Contains("3 rows but there are 2 labels", Assert.Throws<ArgumentException>(() => new LabeledDataset(features, tensor(new long[] { 0, 1 }))).Message);
        Assert.Contains("from 0", Assert.Throws<ArgumentException>(() => new LabeledDataset(features, tensor(new long[] { 0, -1, 2 }))).Message);
        Assert.Contains("out of range for 2 classes", Assert.Throws<ArgumentException>(() => new LabeledDataset(features, tensor(new long[] { 0, 1, 2 }), classCount: 2)).Message);
    }

    [Fact]
    public void Features_must_be_finite()
    {
        using var features = tensor(new float[] { 0, float.NaN, 1, 2 }).reshape(2, 2);
        var error = Assert.Throws<ArgumentException>(() => new LabeledDataset(features, tensor(new long[] { 0, 1 })));
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void A_label_too_large_for_a_class_count_is_an_argument_error()
    {
        using var features = zeros(2, 3);
        using var labels = tensor(new long[] { 0, 1L << 40 });
        var error = Assert.Throws<ArgumentException>(() => new LabeledDataset(features, labels));
        Assert.Contains("1099511627776", error.Message);
    }

    [Fact]
    public void Class_count_defaults_to_the_largest_label_plus_one()
    {
        using var data = new LabeledDataset(zeros(3, 2), tensor(new long[] { 0, 4, 1 }));
        Assert.Equal(5, data.ClassCount);
        Assert.Equal("LabeledDataset(3 examples × 2 features, 5 classes)", data.ToString());
    }
}
