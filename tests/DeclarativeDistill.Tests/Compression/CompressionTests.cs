using System;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Vision;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Compression;

public class CompressionTests
{
    [Fact]
    public void Int8_weights_are_within_half_a_step_of_the_float_ones_per_output_channel()
    {
        manual_seed(4);
        using var model = new TinyResNet(); // conv, the residual block's convs and its 1x1 shortcut, a fully connected layer
        using var quantized = Int8Quantization.Quantize(model);
        var keys = model.named_parameters().Select(p => p.name).Where(n => n.EndsWith("weight", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            new[] { "conv1.weight", "output.weight", "res1.conv1.weight", "res1.conv2.weight", "res1.downsample.0.weight" },
            quantized.Layers.Select(l => l.Key).Order());
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var layer in quantized.Layers)
        {
            var weight = parameters[layer.Key];
            Assert.Equal(ScalarType.Int8, layer.Values.dtype);
            Assert.Equal(weight.shape[0], layer.Scales.shape[0]);
            using var scope = NewDisposeScope();
            var rows = weight.detach().reshape(weight.shape[0], -1);
            var expectedScales = rows.abs().amax(new long[] { 1 }) / 127;
            Assert.True(expectedScales.allclose(layer.Scales, rtol: 1e-6, atol: 0), $"{layer.Key}: scale = max |w| / 127 per output channel");
            var error = (layer.Dequantize().reshape(weight.shape[0], -1) - rows).abs();
            Assert.True(error.le(layer.Scales.unsqueeze(1) / 2 + 1e-7).all().item<bool>(), $"{layer.Key}: error beyond half a step");
            Assert.Equal(127, layer.Values.reshape(weight.shape[0], -1).abs().to_type(ScalarType.Int32).amax(new long[] { 1 }).min().item<int>()); // each channel uses the full range
        }
    }

    [Fact]
    public void Quantized_size_is_about_a_quarter_and_the_quantized_copy_predicts_like_the_original()
    {
        var (train, test) = SyntheticData.Split(1500, 800, seed: 1);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var model = new ClusterTeacher();
            model.Fit(train, new TrainingOptions { Epochs = 8, BatchSize = 64, Seed = 1 });
            using var quantized = Int8Quantization.Quantize(model);
            using var copy = new ClusterTeacher();
            copy.load_state_dict(model.state_dict());
            quantized.ApplyTo(copy);

            long weights = 64 * 12 + 64 * 64 + 4 * 64, biases = 64 + 64 + 4, scales = 64 + 64 + 4;
            Assert.Equal(4 * (weights + biases), quantized.FloatSizeInBytes);
            Assert.Equal(ModelSize.Dense(model), quantized.FloatSizeInBytes);
            Assert.Equal(weights + 4 * (biases + scales), quantized.SizeInBytes);
            Assert.InRange((double)quantized.SizeInBytes / quantized.FloatSizeInBytes, 0.25, 0.30);
            Assert.True(Metrics.Agreement(model, copy, test.Features) > 0.98);
            Assert.False(SyntheticData.Same(model.get_parameter("hidden1.weight")!, copy.get_parameter("hidden1.weight")!));
        }
    }

    [Fact]
    public void Quantized_weights_refuse_a_model_of_another_architecture_naming_the_weight()
    {
        using var model = new ClusterTeacher();
        using var quantized = Int8Quantization.Quantize(model);
        using var other = new OtherTeacher();
        var error = Assert.Throws<ArgumentException>(() => quantized.ApplyTo(other));
        Assert.Contains("hidden", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void Pruning_removes_exactly_the_requested_fraction_of_each_weight_the_smallest_first(double sparsity)
    {
        manual_seed(5);
        using var model = new ClusterTeacher();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var mask = MagnitudePruning.Prune(model, sparsity);
        var after = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        foreach (var (key, m) in mask.Masks)
        {
            long count = m.numel();
            long removed = (long)Math.Round(sparsity * count, MidpointRounding.AwayFromZero);
            Assert.Equal(count - removed, m.count_nonzero().item<long>());
            Assert.Equal(count - removed, after[key].count_nonzero().item<long>());
            if (removed > 0 && removed < count)
            {
                // Every kept weight is at least as large as every removed one.
                var magnitude = before[key].abs();
                float largestRemoved = magnitude.masked_select(m.eq(0)).max().item<float>();
                float smallestKept = magnitude.masked_select(m.eq(1)).min().item<float>();
                Assert.True(largestRemoved <= smallestKept, $"{key}: removed {largestRemoved} > kept {smallestKept}");
            }
        }
        Assert.True(SyntheticData.Same(before["hidden1.bias"], after["hidden1.bias"]), "biases are not pruned");
        Assert.Equal(sparsity, mask.Sparsity, 2);
    }

    [Fact]
    public void A_pruning_mask_holds_through_fine_tuning_and_the_sparse_size_shrinks()
    {
        var (train, test) = SyntheticData.Split(1500, 500, seed: 2);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var model = new ClusterTeacher();
            var options = new TrainingOptions { Epochs = 6, BatchSize = 64, Seed = 1 };
            model.Fit(train, options);
            long dense = ModelSize.Dense(model);
            Assert.Equal(dense, ModelSize.Sparse(model));

            using var mask = MagnitudePruning.Prune(model, 0.9);
            var pruned = model.Evaluate(test);
            model.Fit(train, options with { Mask = mask, Momentum = 0.9, WeightDecay = 1e-4 });
            var tuned = model.Evaluate(test);

            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (key, m) in mask.Masks)
            {
                Assert.Equal(0, parameters[key].masked_select(m.eq(0)).abs().sum().item<float>());
                Assert.Equal(m.count_nonzero().item<long>(), parameters[key].count_nonzero().item<long>());
            }
            Assert.True(tuned.Accuracy >= pruned.Accuracy, $"fine-tuned {tuned} vs pruned {pruned}");
            long weights = 64 * 12 + 64 * 64 + 4 * 64;
            long expected = dense - 4 * weights + (12 * 64 + 7) / 8 + (64 * 64 + 7) / 8 + (4 * 64 + 7) / 8
                + 4 * mask.Masks.Sum(m => m.Mask.count_nonzero().item<long>());
            Assert.Equal(expected, ModelSize.Sparse(model));
        }
    }

    [Fact]
    public void A_mask_of_another_architecture_is_refused_before_training()
    {
        using var model = new ClusterTeacher();
        using var mask = MagnitudePruning.Prune(model, 0.5);
        using var other = new OtherTeacher();
        using var data = SyntheticData.Create(100, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => other.Fit(data, new TrainingOptions { Epochs = 1, Mask = mask }));
        Assert.Contains("hidden", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MagnitudePruning.Prune(model, 1.0));
    }
}
