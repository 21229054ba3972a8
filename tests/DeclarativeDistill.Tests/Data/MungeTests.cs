using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

public class MungeTests
{
    [Fact]
    public void Munge_makes_multiplier_times_n_unlabelled_examples_of_the_source_shape_deterministically()
    {
        using var source = SyntheticData.Create(200, seed: 2);
        var options = new MungeOptions { Multiplier = 3, Seed = 7 };
        using var first = Munge.Generate(source, options);
        using var again = Munge.Generate(source, options);
        using var other = Munge.Generate(source, options with { Seed = 8 });

        Assert.Equal(600, first.Count);
        Assert.Equal(source.Shape, first.Shape);
        Assert.False(first.HasLabels);
        Assert.Equal(SyntheticData.Classes, first.ClassCount);
        Assert.True(SyntheticData.Same(first.Features, again.Features), "same seed, same data");
        Assert.False(SyntheticData.Same(first.Features, other.Features), "another seed, other data");
    }

    [Fact]
    public void Each_feature_is_redrawn_with_the_swap_probability_and_stays_between_the_pair()
    {
        // Two far-apart points, each the other's nearest neighbour: every redrawn value is N(other, |a − b| / s).
        using var features = tensor(new float[] { 0, 0, 0, 0, 10, 10, 10, 10 }).reshape(2, 4).repeat(1, 250); // 1000 features
        using var source = new LabeledDataset(features, tensor(new long[] { 0, 1 }));
        using var never = Munge.Generate(source, new MungeOptions { Multiplier = 1, SwapProbability = 1e-9 });
        Assert.True(SyntheticData.Same(source.Features, never.Features), "p ≈ 0 changes nothing");

        using var munged = Munge.Generate(source, new MungeOptions { Multiplier = 1, SwapProbability = 0.3, Spread = 1000 });
        float[] first = munged.Features[0].data<float>().ToArray();
        int moved = first.Count(v => v > 5);
        // Each point is the other's neighbour, so a feature of the first is redrawn when the first is visited and
        // again when the second is: it ends near the other point after an odd number of swaps, 2p(1 − p) = 0.42.
        Assert.InRange(moved, 348, 492); // Binomial(1000, 0.42): 420 ± 4.6 σ
        Assert.All(first, v => Assert.True(Math.Abs(v) < 0.2 || Math.Abs(v - 10) < 0.2, $"{v} is not near either point (sd 0.01)"));
    }

    [Fact]
    public void Munge_examples_lie_near_the_data_and_a_teacher_labels_them_like_the_source()
    {
        using var source = SyntheticData.Create(400, seed: 2);
        using var munged = Munge.Generate(source, new MungeOptions { Multiplier = 2, Seed = 1 });
        // Every synthetic example is much closer to some real one than the typical distance between real examples.
        using var distances = cdist(munged.Features, source.Features).amin(1);
        using var spread = cdist(source.Features, source.Features).mean();
        Assert.True(distances.mean().item<float>() < 0.5f * spread.item<float>(), $"{distances.mean().item<float>()} vs {spread.item<float>()}");
    }

    [Fact]
    public void Munge_refuses_bad_parameters_with_their_names()
    {
        using var source = SyntheticData.Create(10, seed: 2);
        Assert.Equal("Multiplier", Assert.Throws<ArgumentOutOfRangeException>(() => Munge.Generate(source, new MungeOptions { Multiplier = 0 })).ParamName);
        Assert.Equal("SwapProbability", Assert.Throws<ArgumentOutOfRangeException>(() => Munge.Generate(source, new MungeOptions { SwapProbability = 0 })).ParamName);
        Assert.Equal("Spread", Assert.Throws<ArgumentOutOfRangeException>(() => Munge.Generate(source, new MungeOptions { Spread = double.NaN })).ParamName);
        using var one = source.Slice(0, 1);
        Assert.Throws<ArgumentException>(() => Munge.Generate(one));
    }
}
