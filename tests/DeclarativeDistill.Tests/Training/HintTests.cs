using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations.Hinted;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Training;

/// <summary>
/// FitNets hints at run time: the regressors the generator sized, what each stage trains, the hint terms in the
/// reports, caching, checkpoints, and the mistakes a hand-made objective can make.
/// </summary>
public sealed class HintTests
{
    [Fact]
    public void Features_are_the_outputs_forward_computes_and_stop_at_the_deepest_layer_asked_for()
    {
        manual_seed(1);
        using var teacher = new HintTeacher();
        teacher.eval();
        using var data = SyntheticData.Images(6, seed: 1);

        var features = teacher.Features(data.Features, "res1", "conv1", "output");

        Assert.Equal(new long[] { 6, 16, 4, 4 }, features[0].shape);
        Assert.Equal(new long[] { 6, 8, 8, 8 }, features[1].shape);
        Assert.True(SyntheticData.Same(teacher.call(data.Features), features[2]), "the last layer's output is forward's");
        Assert.Equal(new[] { "conv1", "bn1", "res1", "output" }, teacher.FeatureLayers);
        var unknown = Assert.Throws<ArgumentException>(() => teacher.Features(data.Features, "conv9"));
        Assert.Contains("HintTeacher has no layer 'conv9'; its layers are conv1, bn1, res1, output", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_declared_regressors_have_the_sizes_the_generator_computed_and_stay_out_of_the_student()
    {
        var guided = Assert.Single(GuidedStudent.Objective.Hints);
        Assert.Equal(("res1", "bn1"), (guided.TeacherLayer, guided.StudentLayer));
        Assert.Equal(HintRegressor.Convolution(4, 16, 1, 1, Activation.ReLU), guided.Regressor);
        Assert.Equal(4 * 16 + 16, guided.Regressor.ParameterCount);
        Assert.Equal(HintTraining.TwoStages, GuidedStudent.Objective.HintTraining);

        var combined = CombinedStudent.Objective.Hints;
        Assert.Equal(2, combined.Count);
        // FitNets' kernel: (8 - 4 + 1) x (8 - 4 + 1) shrinks conv1's 8x8 map to res1's 4x4.
        Assert.Equal(HintRegressor.Convolution(8, 16, 5, 5, Activation.ReLU), combined[0].Regressor);
        Assert.Equal(0.5, combined[0].Weight);
        Assert.Equal(HintRegressor.Linear(16, 4, null), combined[1].Regressor);
        Assert.Equal(HintTraining.Combined, CombinedStudent.Objective.HintTraining);

        using var student = new CombinedStudent();
        using var teacher = new HintTeacher();
        using var data = SyntheticData.Images(64, seed: 2);
        student.Distill(teacher, data, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        Assert.Equal(CombinedStudent.ParameterCount, student.parameters().Sum(p => p.numel()));
        Assert.DoesNotContain(student.state_dict().Keys, k => k.Contains("regressor", StringComparison.Ordinal));
    }

    [Fact]
    public void The_hint_stage_changes_only_the_student_up_to_its_guided_layer()
    {
        using var data = SyntheticData.Images(96, seed: 3);
        manual_seed(3);
        using var teacher = new HintTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 32 });
        using var student = new GuidedStudent();
        var before = State(student);
        var teacherBefore = State(teacher);

        // Epochs = 0: FitNets' first stage alone.
        var report = student.Distill(teacher, data, new TrainingOptions { Epochs = 0, HintEpochs = 3, BatchSize = 32 });

        var after = State(student);
        foreach (string lower in new[] { "conv1.weight", "conv2.weight", "conv3.weight", "bn1.weight", "bn1.running_mean" })
        {
            Assert.False(SyntheticData.Same(before[lower], after[lower]), $"{lower} should have trained");
        }
        foreach (var (key, value) in after.Where(p => p.Key.StartsWith("conv4.", StringComparison.Ordinal) || p.Key.StartsWith("output.", StringComparison.Ordinal)))
        {
            Assert.True(SyntheticData.Same(before[key], value), $"{key} is above the guided layer and must not move");
        }
        Assert.All(State(teacher), pair => Assert.True(SyntheticData.Same(teacherBefore[pair.Key], pair.Value), $"teacher's {pair.Key} moved"));

        Assert.Empty(report.Epochs);
        var hintStage = Assert.IsType<TrainingReport>(report.HintStage);
        Assert.Equal(3, hintStage.Epochs.Count);
        Assert.All(hintStage.Epochs, e =>
        {
            var term = Assert.Single(e.HintTerms!);
            Assert.Equal(e.Loss, term);
            Assert.Null(e.SoftTerm);
            Assert.Null(e.HardTerm);
        });
        Assert.True(hintStage.Epochs[^1].Loss < hintStage.Epochs[0].Loss, "the hint loss should fall");
    }

    [Fact]
    public void Two_stages_report_each_stage_and_progress_names_the_stage()
    {
        using var data = SyntheticData.Images(64, seed: 4);
        manual_seed(4);
        using var teacher = new HintTeacher();
        using var student = new GuidedStudent();
        var stages = new List<(TrainingStage Stage, int Epoch)>();
        var options = new TrainingOptions
        {
            Epochs = 2,
            HintEpochs = 1,
            BatchSize = 16,
            Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Phase == TrainingPhases.Training) stages.Add((p.Stage, p.Epoch)); }),
        };

        var report = student.Distill(teacher, data, options);

        Assert.Equal(new[] { (TrainingStage.Hints, 1), (TrainingStage.Whole, 1), (TrainingStage.Whole, 2) }, stages);
        Assert.Single(report.HintStage!.Epochs);
        Assert.Equal(2, report.Epochs.Count);
        Assert.All(report.Epochs, e => Assert.Null(e.HintTerms)); // the second stage is plain distillation
        Assert.True(report.TotalTime >= report.HintStage.TotalTime);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_combined_loss_is_the_sum_of_its_reported_terms(bool cached)
    {
        using var data = SyntheticData.Images(80, seed: 5);
        manual_seed(5);
        using var teacher = new HintTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        using var student = new CombinedStudent();
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, CacheTeacherOutputs = cached };

        var report = student.Distill(teacher, data, options);

        Assert.Null(report.HintStage);
        Assert.All(report.Epochs, e =>
        {
            Assert.Equal(2, e.HintTerms!.Count);
            Assert.All(e.HintTerms, t => Assert.True(t > 0));
            double sum = e.SoftTerm!.Value + e.HardTerm!.Value + e.HintTerms.Sum();
            SyntheticData.AssertClose(e.Loss, sum, 1e-5 * Math.Abs(e.Loss), $"epoch {e.Epoch}: terms");
        });
    }

    [Fact]
    public void Cached_teacher_features_give_the_run_that_computing_them_every_batch_gives()
    {
        using var data = SyntheticData.Images(64, seed: 6);
        manual_seed(6);
        using var teacher = new HintTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16 });

        double[] Run(TrainingOptions options)
        {
            manual_seed(7);
            using var student = new CombinedStudent();
            return student.Distill(teacher, data, options).Epochs.Select(e => e.Loss).ToArray();
        }

        var options = new TrainingOptions { Epochs = 2, BatchSize = 16 };
        var cached = Run(options);
        var tooLargeToCache = Run(options with { FeatureCacheBytes = 1 });
        var uncached = Run(options with { CacheTeacherOutputs = false });

        for (int i = 0; i < cached.Length; i++)
        {
            SyntheticData.AssertClose(cached[i], tooLargeToCache[i], 1e-4 * cached[i], $"epoch {i + 1}, features computed per batch");
            SyntheticData.AssertClose(cached[i], uncached[i], 1e-4 * cached[i], $"epoch {i + 1}, nothing cached");
        }
    }

    [Fact]
    public void An_interrupted_two_stage_run_resumes_to_the_weights_of_an_uninterrupted_one()
    {
        using var data = SyntheticData.Images(64, seed: 8);
        manual_seed(8);
        using var teacher = new HintTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        var options = new TrainingOptions { Epochs = 3, HintEpochs = 2, BatchSize = 16, Seed = 9 };

        manual_seed(10);
        using var whole = new GuidedStudent();
        var uninterrupted = whole.Distill(teacher, data, options);

        string directory = Directory.CreateTempSubdirectory("dd-hint-checkpoints-").FullName;
        try
        {
            using var cancellation = new System.Threading.CancellationTokenSource();
            var stopInSecondStage = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p is { Stage: TrainingStage.Whole, Epoch: 1, IsEndOfEpoch: true })
                {
                    cancellation.Cancel();
                }
            });
            var checkpointed = options with { CheckpointDirectory = directory, Progress = stopInSecondStage, CancellationToken = cancellation.Token };
            manual_seed(10);
            using (var interrupted = new GuidedStudent())
            {
                Assert.ThrowsAny<OperationCanceledException>(() => interrupted.Distill(teacher, data, checkpointed));
            }

            manual_seed(10);
            using var resumed = new GuidedStudent();
            var report = resumed.Distill(teacher, data, options with { CheckpointDirectory = directory });

            Assert.Equal(2, report.HintStage!.ResumedAfterEpoch);
            Assert.Equal(1, report.ResumedAfterEpoch);
            // The hint stage's epochs come back from its checkpoint with their hint terms.
            Assert.Equal(uninterrupted.HintStage!.Epochs.Select(e => e.HintTerms![0]), report.HintStage.Epochs.Select(e => e.HintTerms![0]));
            Assert.Equal(uninterrupted.Epochs.Select(e => e.Loss), report.Epochs.Select(e => e.Loss));
            var expected = State(whole);
            Assert.All(State(resumed), pair => Assert.True(SyntheticData.Same(expected[pair.Key], pair.Value), $"{pair.Key} differs"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_hand_made_objective_is_checked_against_the_networks_before_training()
    {
        using var data = SyntheticData.Images(16, seed: 11);
        using var teacher = new HintTeacher();
        using var student = new GuidedStudent();
        var before = State(student);

        var wrongSize = GuidedStudent.Objective with
        {
            Hints = new[] { new FeatureHint("res1", "conv1", HintRegressor.Convolution(4, 16, 1, 1, Activation.ReLU)) },
        };
        var sizeError = Assert.Throws<ArgumentException>(() => student.Distill(teacher, data, objective: wrongSize));
        Assert.Contains("turns GuidedStudent's conv1 (4x8x8) into 16x8x8, but HintTeacher's res1 gives 16x4x4", sizeError.Message, StringComparison.Ordinal);

        var unknown = GuidedStudent.Objective with
        {
            Hints = new[] { new FeatureHint("res7", "conv1", HintRegressor.Convolution(4, 16, 5, 5, null)) },
        };
        var nameError = Assert.Throws<ArgumentException>(() => student.Distill(teacher, data, objective: unknown));
        Assert.Contains("The teacher HintTeacher has no layer 'res7'; its layers are conv1, bn1, res1, output", nameError.Message, StringComparison.Ordinal);

        var secondTeacher = GuidedStudent.Objective with
        {
            Hints = new[] { GuidedStudent.Objective.Hints[0] with { Teacher = 1 } },
        };
        Assert.Contains("names teacher 1, but the distillation has 1",
            Assert.Throws<ArgumentException>(() => student.Distill(teacher, data, objective: secondTeacher)).Message, StringComparison.Ordinal);

        Assert.All(State(student), pair => Assert.True(SyntheticData.Same(before[pair.Key], pair.Value), $"{pair.Key} moved before the error"));
        Assert.Throws<ArgumentOutOfRangeException>(() => GuidedStudent.Objective.Hints[0] with { Weight = 0 });
    }

    [Fact]
    public void Objectives_with_equal_hints_are_equal()
    {
        var copy = GuidedStudent.Objective with { Hints = GuidedStudent.Objective.Hints.ToList() };

        Assert.Equal(GuidedStudent.Objective, copy);
        Assert.NotEqual(GuidedStudent.Objective, copy with { HintTraining = HintTraining.Combined });
        Assert.Contains("1 hint (TwoStages): bn1 → res1 through a 1x1 convolution 4 → 16 channels, then ReLU, weight 1", copy.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, Tensor> State(Model model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
}
