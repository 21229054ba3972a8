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
