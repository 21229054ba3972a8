using System;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests;

/// <summary>
/// A small learnable problem: four Gaussian clusters in 12 dimensions with overlapping tails, labelled by
/// cluster. Deterministic for a given seed.
/// </summary>
internal static class SyntheticData
{
    public const int Features = 12;
    public const int Classes = 4;

    public static LabeledDataset Create(int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var centres = randn(new long[] { Classes, Features }, generator: generator) * 2.0;
        var labels = randint(0, Classes, new long[] { count }, dtype: ScalarType.Int64, generator: generator);
        var features = centres.index_select(0, labels) + randn(new long[] { count, Features }, generator: generator);
        return new LabeledDataset(features.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), Classes);
    }

    /// <summary>The same cluster centres for a training and a test set: one problem, two samples.</summary>
    public static (LabeledDataset Train, LabeledDataset Test) Split(int trainCount, int testCount, long seed)
    {
        var all = Create(trainCount + testCount, seed);
        using (all)
        {
            return (all.Slice(0, trainCount), all.Slice(trainCount, testCount));
        }
    }

    /// <summary>Random 3x8x8 images in four classes told apart by their mean colour.</summary>
    public static LabeledDataset Images(int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var labels = randint(0, 4, new long[] { count }, dtype: ScalarType.Int64, generator: generator);
        var images = rand(new long[] { count, 3, 8, 8 }, generator: generator) + labels.to_type(ScalarType.Float32).view(count, 1, 1, 1) * 0.5;
        return new LabeledDataset(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), 4);
    }

    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.AsSpan().SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    public static void AssertClose(double expected, double actual, double tolerance, string what)
    {
        if (Math.Abs(expected - actual) > tolerance)
        {
            throw new Xunit.Sdk.XunitException($"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance}).");
        }
    }
}
