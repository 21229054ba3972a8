using System;
using System.IO;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>Seeded stratified splits, in memory and on a source read by index, and standardisation fitted on training data.</summary>
public sealed class SplitAndNormalizationTests
{
    [Fact]
    public void A_split_is_stratified_disjoint_complete_and_seeded()
    {
        using var data = SyntheticData.Create(203, seed: 71);
        using var split = data.Split(validation: 0.1, test: 0.2, seed: 5);

        long[] labels = data.Labels.data<long>().ToArray();
        foreach (int c in Enumerable.Range(0, data.ClassCount))
        {
            int inClass = labels.Count(l => l == c);
            Assert.Equal((int)Math.Round(inClass * 0.2), split.Test.Labels.data<long>().ToArray().Count(l => l == c));
            Assert.Equal((int)Math.Round(inClass * 0.1), split.Validation.Labels.data<long>().ToArray().Count(l => l == c));
        }
        Assert.Equal(data.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        var rows = Rows(data, split.Train).Concat(Rows(data, split.Validation)).Concat(Rows(data, split.Test)).ToArray();
        Assert.Equal(Enumerable.Range(0, data.Count), rows.OrderBy(r => r));

        using var again = data.Split(validation: 0.1, test: 0.2, seed: 5);
        Assert.True(SyntheticData.Same(split.Test.Features, again.Test.Features));
        using var other = data.Split(validation: 0.1, test: 0.2, seed: 6);
        Assert.False(SyntheticData.Same(split.Test.Features, other.Test.Features));
    }

    [Fact]
    public void A_source_on_disk_splits_into_views_with_the_rows_of_the_in_memory_split()
    {
        using var data = SyntheticData.Create(120, seed: 72);
        using var source = new ReadByIndex(data);
        var (train, test) = source.Split(test: 0.25, seed: 9);
        var (memoryTrain, memoryTest) = data.Split(test: 0.25, seed: 9);
        using (memoryTrain)
        using (memoryTest)
        using (var trainRead = train.ToMemory())
        using (var testRead = test.ToMemory())
        {
            Assert.True(SyntheticData.Same(memoryTrain.Features, trainRead.Features));
            Assert.True(SyntheticData.Same(memoryTest.Labels, testRead.Labels));
        }
    }

    [Fact]
    public void Splits_refuse_fractions_that_leave_a_part_empty()
    {
        using var data = SyntheticData.Create(10, seed: 73);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(test: 0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(validation: 0.6, test: 0.5, seed: 1));
        Assert.StartsWith("A part of this split of 10 examples would be empty",
            Assert.Throws<ArgumentException>(() => data.Split(test: 0.01, seed: 1)).Message);
    }

    [Fact]
    public void Standardisation_fitted_on_training_data_centres_and_scales_each_feature()
    {
        using var raw = SyntheticData.Create(300, seed: 74);
        using var scaled = new LabeledDataset(raw.Features * tensor(Enumerable.Range(0, 12).Select(i => (float)Math.Pow(10, i % 4)).ToArray()) + 50, raw.Labels.clone());
        var (train, test) = scaled.Split(test: 0.2, seed: 3);
        using (train)
        using (test)
        {
            var normalization = Normalization.Fit(train);
            using var normalized = normalization.Apply(train);
            using var means = normalized.Features.mean(new long[] { 0 });
            using var stds = normalized.Features.std(0, unbiased: false);
            Assert.All(means.data<float>().ToArray(), m => Assert.True(Math.Abs(m) < 1e-4, $"mean {m}"));
            Assert.All(stds.data<float>().ToArray(), s => Assert.True(Math.Abs(s - 1) < 1e-4, $"std {s}"));

            // Read through a source, and one example in place, the same values.
            using var source = new ReadByIndex(test);
            using var viaSource = normalization.Apply((DataSource)source).ToMemory();
            using var inMemory = normalization.Apply(test);
            Assert.True(viaSource.Features.allclose(inMemory.Features, rtol: 1e-6, atol: 1e-6));
            var first = test.Features[0].data<float>().ToArray();
            normalization.Apply(first.AsSpan());
            Assert.True(tensor(first).allclose(inMemory.Features[0], rtol: 1e-6, atol: 1e-6));
        }
    }

    [Fact]
    public void Images_are_standardised_per_channel_and_a_constant_feature_is_only_centred()
    {
        using var images = SyntheticData.Images(40, seed: 75);
        var normalization = Normalization.Fit(images);
        Assert.Equal(3, normalization.Mean.Count);
        using var normalized = normalization.Apply(images);
        using var perChannel = normalized.Features.transpose(0, 1).reshape(3, -1);
        Assert.All(perChannel.mean(new long[] { 1 }).data<float>().ToArray(), m => Assert.True(Math.Abs(m) < 1e-4));

        using var constant = new LabeledDataset(ones(5, 2) * 7, tensor(new long[] { 0, 1, 0, 1, 0 }));
        var centred = Normalization.Fit(constant);
        Assert.Equal(new[] { 1f, 1f }, centred.Std);
        using var applied = centred.Apply(constant);
        Assert.True(applied.Features.eq(0).all().item<bool>());

        Assert.Throws<ArgumentException>(() => normalization.Apply(constant));
    }

    private static int[] Rows(LabeledDataset all, LabeledDataset part)
    {
        // Examples are distinct random vectors: find each part's row in the whole set by its first feature.
        var firsts = all.Features.select(1, 0).data<float>().ToArray();
        return part.Features.select(1, 0).data<float>().ToArray().Select(v => Array.IndexOf(firsts, v)).ToArray();
    }
}
