using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

/// <summary>End to end on the synthetic problem: real training, small enough for seconds.</summary>
public class DistillationTests
{
    private static readonly TrainingOptions Quick = new() { Epochs = 15, BatchSize = 64, LearningRate = 0.05, Seed = 3 };

    [Fact]
    public void A_distilled_student_learns_from_its_teacher()
    {
        var (train, test) = SyntheticData.Split(2000, 1000, seed: 1);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var teacher = new ClusterTeacher();
            teacher.Fit(train, Quick);
            var teacherResult = teacher.Evaluate(test);
            Assert.True(teacherResult.Accuracy > 0.9, $"teacher: {teacherResult}");

            manual_seed(2);
            using var student = new ClusterStudent();
            var before = student.Evaluate(test);
            var report = student.Distill(teacher, train, Quick);
            var after = student.Evaluate(test);

            Assert.Equal(Quick.Epochs, report.Epochs.Count);
            Assert.True(report.Epochs[^1].Loss < report.Epochs[0].Loss, "the distillation loss falls");
            Assert.True(after.Accuracy > 0.85, $"student before {before}, after {after}");
            Assert.True(after.Accuracy > before.Accuracy + 0.3, $"student before {before}, after {after}");
            Assert.True(Metrics.Agreement(student, teacher, test.Features) > 0.85);
        }
    }

    [Fact]
    public void Distill_leaves_the_teacher_unchanged_and_in_its_mode()
    {
        using var train = SyntheticData.Create(256, seed: 4);
        manual_seed(1);
        using var teacher = new ClusterTeacher();
        var before = teacher.parameters().Select(p => p.clone()).ToList();
        teacher.train();

        using var student = new ClusterStudent();
        student.Distill(teacher, train, Quick with { Epochs = 2 });

        Assert.True(teacher.training, "the teacher's mode is restored");
        Assert.All(teacher.parameters().Zip(before), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
    }

    [Fact]
    public void An_ensemble_student_takes_one_teacher_per_declared_type()
    {
        var (train, test) = SyntheticData.Split(1500, 500, seed: 5);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var first = new ClusterTeacher();
            using var second = new OtherTeacher();
            first.Fit(train, Quick);
            second.Fit(train, Quick);

            using var student = new EnsembleStudent();
            student.Distill(first, second, train, Quick);

            Assert.True(student.Evaluate(test).Accuracy > 0.85, student.Evaluate(test).ToString());
        }
    }

    [Fact]
    public void A_teacher_assistant_chain_trains_end_to_end()
    {
        var (train, test) = SyntheticData.Split(1500, 500, seed: 6);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var teacher = new ClusterTeacher();
            teacher.Fit(train, Quick);
            using var assistant = new AssistantNetwork();
            assistant.Distill(teacher, train, Quick);
            using var student = new LinearStudent();
            student.Distill(assistant, train, Quick);

            Assert.True(assistant.Evaluate(test).Accuracy > 0.85, assistant.Evaluate(test).ToString());
            Assert.True(student.Evaluate(test).Accuracy > 0.8, student.Evaluate(test).ToString());
        }
    }

    [Fact]
    public void Cached_and_uncached_teacher_outputs_give_the_same_student()
    {
        using var train = SyntheticData.Create(600, seed: 7);
        using var teacher = FittedTeacher(train);

        var cached = DistillFrom(teacher, train, Quick with { Epochs = 4 });
        var uncached = DistillFrom(teacher, train, Quick with { Epochs = 4, CacheTeacherOutputs = false });

        Assert.All(cached.Zip(uncached), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 1e-4, atol: 1e-5)));
    }

    [Fact]
    public void Cached_and_uncached_runs_report_the_same_loss_mid_epoch_and_per_epoch()
    {
        // The cache leaves the teacher's entropy out of each batch and adds it back when reporting.
        using var train = SyntheticData.Create(640, seed: 13);
        using var teacher = FittedTeacher(train);

        List<TrainingProgress> Run(bool cache)
        {
            var reports = new List<TrainingProgress>();
            manual_seed(99);
            using var student = new ClusterStudent();
            student.Distill(teacher, train, Quick with
            {
                Epochs = 2, ProgressIntervalBatches = 3, CacheTeacherOutputs = cache, Progress = new SynchronousProgress<TrainingProgress>(reports.Add),
            });
            return reports;
        }
        var all = Run(cache: true);
        var uncached = Run(cache: false);

        // The cached run first reports its cache pass, chunk by chunk; then both report the same batches of training.
        var caching = all.TakeWhile(r => r.Phase == TrainingPhases.CachingTeacherOutputs).ToList();
        Assert.NotEmpty(caching);
        Assert.True(caching[^1].IsEndOfEpoch && caching.All(r => r.Epoch == 0 && double.IsNaN(r.Loss)));
        Assert.All(uncached, r => Assert.Equal(TrainingPhases.Training, r.Phase));
        var cached = all.Skip(caching.Count).ToList();
        Assert.Equal(uncached.Select(r => (r.Epoch, r.Batch)), cached.Select(r => (r.Epoch, r.Batch)));
        Assert.True(cached[0].Elapsed >= caching[^1].Elapsed, "the elapsed time counts the cache pass");
        Assert.Contains(cached, r => !r.IsEndOfEpoch);
        Assert.All(cached.Zip(uncached), pair => SyntheticData.AssertClose(pair.Second.Loss, pair.First.Loss,
            1e-4 * System.Math.Abs(pair.Second.Loss), $"loss at epoch {pair.Second.Epoch}, batch {pair.Second.Batch}"));
    }

    [Fact]
    public void A_loss_of_your_own_through_Trainer_Distill_matches_the_generated_Distill()
    {
        // The generated Distill caches weighted teacher probabilities; a delegate loss caches the logits.
        using var train = SyntheticData.Create(600, seed: 14);
        using var teacher = FittedTeacher(train);
        var options = Quick with { Epochs = 3 };

        var generated = DistillFrom(teacher, train, options);
        manual_seed(99);
        using var student = new ClusterStudent();
        var report = Trainer.Distill(student, ClusterStudent.InputSize, ClusterStudent.OutputSize, new[] { teacher }, ClusterStudent.Temperature, train,
            (s, t, y) => KnowledgeDistillation.Loss(s, t, y, ClusterStudent.Temperature, ClusterStudent.Alpha, ClusterStudent.Beta), options);

        Assert.Equal(3, report.Epochs.Count);
        Assert.All(generated.Zip(student.parameters()), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 1e-4, atol: 1e-5)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        using var train = SyntheticData.Create(300, seed: 8);
        manual_seed(1);
        using var teacher = new ClusterTeacher();

        var first = DistillFrom(teacher, train, Quick with { Epochs = 2 });
        var second = DistillFrom(teacher, train, Quick with { Epochs = 2 });

        Assert.All(first.Zip(second), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
    }

    [Fact]
    public void Progress_is_reported_per_epoch_and_every_n_batches()
    {
        using var train = SyntheticData.Create(640, seed: 9);
        using var network = new ClusterTeacher();
        var reports = new List<TrainingProgress>();

        network.Fit(train, Quick with { Epochs = 2, BatchSize = 64, ProgressIntervalBatches = 4, Progress = new SynchronousProgress<TrainingProgress>(reports.Add) });

        Assert.Equal(new[] { 4, 8, 10, 4, 8, 10 }, reports.Select(r => r.Batch));
        Assert.Equal(2, reports.Count(r => r.IsEndOfEpoch));
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.All(reports, r => Assert.True(r.SamplesPerSecond > 0 && double.IsFinite(r.Loss)));
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var train = SyntheticData.Create(640, seed: 10);
        using var network = new ClusterTeacher();
        using var cancellation = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            reports.Add(p);
            cancellation.Cancel();
        });

        Assert.ThrowsAny<System.OperationCanceledException>(() => network.Fit(train,
            Quick with { Epochs = 50, ProgressIntervalBatches = 1, Progress = progress, CancellationToken = cancellation.Token }));
        Assert.Single(reports);
    }

    [Fact]
    public void A_diverging_run_stops_with_the_epoch_and_batch()
    {
        using var train = SyntheticData.Create(256, seed: 11);
        using var network = new ClusterTeacher();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            network.Fit(train, Quick with { LearningRate = 1e30, Momentum = 0, Schedule = LearningRateSchedule.Constant }));
        Assert.Equal(1, error.Epoch);
        Assert.Contains("epoch 1", error.Message);
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.BatchSize))]
    [InlineData(nameof(TrainingOptions.LearningRate))]
    [InlineData(nameof(TrainingOptions.Momentum))]
    public void Invalid_options_name_the_option(string option)
    {
        using var train = SyntheticData.Create(16, seed: 12);
        using var network = new ClusterTeacher();
        var options = option switch
        {
            nameof(TrainingOptions.BatchSize) => Quick with { BatchSize = 0 },
            nameof(TrainingOptions.LearningRate) => Quick with { LearningRate = double.NaN },
            _ => Quick with { Momentum = 1 },
        };
        var error = Assert.Throws<System.ArgumentOutOfRangeException>(() => network.Fit(train, options));
        Assert.Contains("TrainingOptions." + option, error.Message);
    }

    /// <summary>A teacher trained for three epochs from seed 1.</summary>
    private static ClusterTeacher FittedTeacher(LabeledDataset train)
    {
        manual_seed(1);
        var teacher = new ClusterTeacher();
        teacher.Fit(train, Quick with { Epochs = 3 });
        return teacher;
    }

    private static List<Tensor> DistillFrom(ClusterTeacher teacher, LabeledDataset train, TrainingOptions options)
    {
        manual_seed(99);
        using var student = new ClusterStudent();
        student.Distill(teacher, train, options);
        return student.parameters().Select(p => p.detach().clone()).ToList();
    }
}
