using System;
using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

/// <summary>The engine's promises: no tensor outlives its batch, divergence keeps the last good weights, the device option.</summary>
public class EngineTests
{
    private static readonly TrainingOptions Options = new() { Epochs = 12, BatchSize = 32, LearningRate = 0.05, Seed = 6 };

    [Fact]
    public void Live_tensors_do_not_grow_across_epochs()
    {
        using var data = SyntheticData.Create(640, seed: 30);
        manual_seed(1);
        using var teacher = new ClusterTeacher();
        teacher.Fit(data, Options with { Epochs = 1 });
        using var student = new ClusterStudent();
        var live = new Dictionary<int, long>();
        var count = new SynchronousProgress<TrainingProgress>(p => live[p.Epoch] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        student.Distill(teacher, data, Options with { Progress = count, CacheTeacherOutputs = false });
        student.Fit(data, Options with { Progress = count, Augment = batch => batch * 1.0f });

        Assert.Equal(12, live.Count);
        Assert.True(live[2] == live[12], $"live tensors at epoch 2: {live[2]}, at epoch 12: {live[12]}");
    }

    [Fact]
    public void Divergence_keeps_the_last_good_weights()
    {
        using var data = SyntheticData.Create(256, seed: 31);
        manual_seed(1);
        using var network = new ClusterTeacher();
        network.Fit(data, Options with { Epochs = 2 });
        var good = network.parameters().Select(p => p.detach().clone()).ToList();

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(data,
            Options with { LearningRate = 1e30, Momentum = 0, Schedule = LearningRateSchedule.Constant, Epochs = 3 }));

        Assert.Equal(1, error.Epoch);
        Assert.Equal(8, error.Batch);
        Assert.All(network.parameters().Zip(good), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second),
            "the weights are those of the last finite loss (here: before the diverging run)"));
    }

    [Fact]
    public void After_divergence_the_kept_weights_are_ones_whose_loss_was_finite()
    {
        // One batch per epoch: each epoch's single step leaves weights that no loss has been computed with yet.
        manual_seed(3);
        using var features = randn(512, 64);
        using var labels = randint(0, 4, new long[] { 512 }, dtype: ScalarType.Int64);
        using var data = new LabeledDataset(features, labels, 4);
        using var network = new WideNetwork();

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(data, new TrainingOptions
        {
            Epochs = 30, BatchSize = 512, LearningRate = 1e6, Schedule = LearningRateSchedule.Constant,
        }));

        Assert.True(error.Epoch > 1, $"diverged in epoch {error.Epoch}");
        var evaluation = network.Evaluate(data);
        Assert.True(double.IsFinite(evaluation.Loss), $"the kept weights give a loss of {evaluation.Loss}");
    }

    [Theory]
    [InlineData(1e39, 0)]
    [InlineData(1e-50, 0)]
    [InlineData(0.1, 1e39)]
    [InlineData(0.1, 1e-50)]
    public void Rates_beyond_what_float32_weights_can_use_are_refused_up_front(double learningRate, double weightDecay)
    {
        using var data = SyntheticData.Create(64, seed: 33);
        using var network = new ClusterStudent();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            network.Fit(data, Options with { Epochs = 1, LearningRate = learningRate, WeightDecay = weightDecay }));

        Assert.Contains(learningRate != 0.1 ? "LearningRate" : "WeightDecay", error.Message);
        Assert.Contains("float32", error.Message);
    }

    [Fact]
    public void Training_on_an_explicit_device_moves_model_and_batches()
    {
        using var data = SyntheticData.Create(128, seed: 32);
        manual_seed(1);
        using var teacher = new ClusterTeacher();
        using var student = new ClusterStudent();
        teacher.Fit(data, Options with { Epochs = 1, Device = CPU });
        student.Distill(teacher, data, Options with { Epochs = 1, Device = CPU });

        Assert.Equal(DeviceType.CPU, student.parameters().First().device_type);
        Assert.Equal(DeviceType.CPU, teacher.parameters().First().device_type);
        Assert.Equal(data.Count, student.Evaluate(data).Count);
    }
}
