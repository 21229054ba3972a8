using System;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

/// <summary>Transfer sets without labels, filtered by class, or made by MUNGE; run-time objectives; per-term reports.</summary>
public class TransferSetTests
{
    private static readonly TrainingOptions Quick = new() { Epochs = 12, BatchSize = 64, LearningRate = 0.05, Seed = 3 };

    private static ClusterTeacher TrainedTeacher(LabeledDataset train)
    {
        manual_seed(1);
        var teacher = new ClusterTeacher();
        teacher.Fit(train, Quick);
        return teacher;
    }

    [Fact]
    public void A_student_distils_from_a_transfer_set_without_labels_on_the_soft_term_alone()
    {
        var (train, test) = SyntheticData.Split(2000, 1000, seed: 1);
        using (train)
        using (test)
        using (var teacher = TrainedTeacher(train))
        using (var unlabelled = train.WithoutLabels())
        {
            manual_seed(2);
            using var student = new ClusterStudent();
            var report = student.Distill(teacher, unlabelled, Quick, ClusterStudent.Objective with { Beta = 0 });

            Assert.False(unlabelled.HasLabels);
            Assert.All(report.Epochs, e => Assert.Null(e.HardTerm));
            Assert.All(report.Epochs, e => Assert.Equal(e.Loss, e.SoftTerm!.Value, 9));
            var result = student.Evaluate(test);
            Assert.True(result.Accuracy > 0.85, $"student distilled without labels: {result}");
        }
    }

    [Fact]
    public void A_student_distils_from_munge_pseudo_data_labelled_by_its_teacher()
    {
        var (train, test) = SyntheticData.Split(2000, 1000, seed: 1);
        using (train)
        using (test)
        using (var teacher = TrainedTeacher(train))
        using (var few = train.Slice(0, 100))
        using (var synthetic = Munge.Generate(few, new MungeOptions { Multiplier = 10, Seed = 3 }))
        {
            manual_seed(2);
            using var student = new ClusterStudent();
            student.Distill(teacher, synthetic, Quick, ClusterStudent.Objective with { Beta = 0 });
            var result = student.Evaluate(test);
            Assert.Equal(1000, synthetic.Count);
            Assert.True(result.Accuracy > 0.85, $"student distilled on 1,000 MUNGE examples of 100 real ones: {result}");
        }
    }

    [Fact]
    public void A_hard_label_term_without_labels_is_refused_before_training_not_silently_dropped()
    {
        var (train, _) = SyntheticData.Split(200, 1, seed: 1);
        using (train)
        using (var teacher = new ClusterTeacher())
        using (var unlabelled = train.WithoutLabels())
        using (var student = new ClusterStudent())
        {
            using var before = student.get_parameter("output.weight")!.clone();
            var error = Assert.Throws<ArgumentException>(() => student.Distill(teacher, unlabelled, Quick));
            Assert.Contains("has no labels", error.Message);
            Assert.Contains("Beta = 0.1", error.Message, StringComparison.Ordinal);
            Assert.True(SyntheticData.Same(before, student.get_parameter("output.weight")!), "no step was taken");

            Assert.Contains("no labels", Assert.Throws<ArgumentException>(() => student.Fit(unlabelled, Quick)).Message);
            Assert.Contains("no labels", Assert.Throws<ArgumentException>(() => student.Evaluate(unlabelled)).Message);
            Assert.Throws<InvalidOperationException>(() => unlabelled.Labels);
        }
    }

    [Fact]
    public void Filtering_by_class_keeps_the_class_count_and_only_the_chosen_examples()
    {
        using var data = SyntheticData.Create(500, seed: 4);
        using var without = data.WithoutClasses(2);
        using var only = data.OnlyClasses(0, 3);
        long[] labels = data.Labels.data<long>().ToArray();

        Assert.Equal(labels.Count(l => l != 2), without.Count);
        Assert.DoesNotContain(2L, without.Labels.data<long>().ToArray());
        Assert.Equal(labels.Count(l => l is 0 or 3), only.Count);
        Assert.All(only.Labels.data<long>().ToArray(), l => Assert.True(l is 0 or 3));
        Assert.Equal(SyntheticData.Classes, without.ClassCount);
        Assert.Equal(SyntheticData.Classes, only.ClassCount);
        Assert.Contains("No example", Assert.Throws<ArgumentException>(() => data.OnlyClasses(9)).Message);
    }

    [Fact]
    public void A_student_distilled_without_one_class_still_recognises_it_from_the_teacher()
    {
        // Hinton et al. 2015, section 3 in miniature: the transfer set lacks class 2, the teacher knows it.
        var (train, test) = SyntheticData.Split(2000, 1000, seed: 1);
        using (train)
        using (test)
        using (var teacher = TrainedTeacher(train))
        using (var withoutTwo = train.WithoutClasses(2))
        using (var twos = test.OnlyClasses(2))
        {
            // As in the paper, it takes a high temperature: at T = 8 the teacher's small probabilities of a 2 on the
            // other classes' examples carry the weight (measured: 4 of 266 errors; at T = 4, 266 of 266).
            var longer = Quick with { Epochs = 40 };
            manual_seed(2);
            using var student = new ClusterStudent();
            student.Distill(teacher, withoutTwo, longer, ClusterStudent.Objective with { Temperature = 8, Alpha = 1, Beta = 0 });
            manual_seed(2);
            using var labelsOnly = new ClusterStudent();
            labelsOnly.Fit(withoutTwo, longer);

            Assert.Equal(0, teacher.Evaluate(twos).Errors);
            Assert.Equal(twos.Count, labelsOnly.Evaluate(twos).Errors); // never saw a 2, never predicts one
            Assert.True(student.Evaluate(twos).Accuracy > 0.9, $"distilled student on the missing class: {student.Evaluate(twos)}");
        }
    }

    [Fact]
    public void A_run_time_objective_replaces_the_declared_constants_for_that_run_only()
    {
        var (train, _) = SyntheticData.Split(300, 1, seed: 1);
        using (train)
        using (var teacher = TrainedTeacher(train))
        {
            var options = Quick with { Epochs = 1 };
            manual_seed(2);
            using var declared = new ClusterStudent();
            var declaredReport = declared.Distill(teacher, train, options);
            manual_seed(2);
            using var explicitDeclared = new ClusterStudent();
            var sameReport = explicitDeclared.Distill(teacher, train, options, new DistillationObjective(4, 0.9, 0.1));
            manual_seed(2);
            using var hotter = new ClusterStudent();
            var hotterReport = hotter.Distill(teacher, train, options, ClusterStudent.Objective with { Temperature = 9 });

            Assert.Equal(new DistillationObjective(ClusterStudent.Temperature, ClusterStudent.Alpha, ClusterStudent.Beta), ClusterStudent.Objective);
            Assert.Equal(declaredReport.FinalLoss, sameReport.FinalLoss);
            Assert.NotEqual(declaredReport.FinalLoss, hotterReport.FinalLoss);
            Assert.Equal(4, ClusterStudent.Objective.Temperature);
            Assert.Throws<ArgumentOutOfRangeException>(() => ClusterStudent.Objective with { Temperature = 0 });
            Assert.Throws<ArgumentOutOfRangeException>(() => ClusterStudent.Objective with { Beta = -1 });
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Each_epoch_reports_the_soft_and_hard_terms_that_sum_to_its_loss(bool cached)
    {
        var (train, _) = SyntheticData.Split(500, 1, seed: 1);
        using (train)
        using (var teacher = TrainedTeacher(train))
        {
            var progress = new System.Collections.Generic.List<TrainingProgress>();
            var options = Quick with
            {
                Epochs = 3, CacheTeacherOutputs = cached, ProgressIntervalBatches = 2,
                Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Phase == TrainingPhases.Training) progress.Add(p); }),
            };
            manual_seed(2);
            using var student = new ClusterStudent();
            var report = student.Distill(teacher, train, options);

            foreach (var epoch in report.Epochs)
            {
                Assert.True(epoch.SoftTerm > 0 && epoch.HardTerm > 0, $"epoch {epoch.Epoch}: {epoch}");
                SyntheticData.AssertClose(epoch.Loss, epoch.SoftTerm!.Value + epoch.HardTerm!.Value, 1e-6 * epoch.Loss, $"epoch {epoch.Epoch}");
            }
            Assert.All(progress, p => SyntheticData.AssertClose(p.Loss, p.SoftTerm!.Value + p.HardTerm!.Value, 1e-6 * p.Loss, "progress"));
            Assert.Contains(progress, p => !p.IsEndOfEpoch);

            // The hard term is Beta times the cross-entropy of the final weights' predecessor: check its scale on Fit.
            manual_seed(2);
            using var baseline = new ClusterStudent();
            var fit = baseline.Fit(train, Quick with { Epochs = 2 });
            Assert.All(fit.Epochs, e => Assert.Equal(e.Loss, e.HardTerm!.Value, 12));
            Assert.All(fit.Epochs, e => Assert.Null(e.SoftTerm));
        }
    }

    [Fact]
    public void Loss_terms_survive_a_checkpoint_and_resume()
    {
        var (train, _) = SyntheticData.Split(300, 1, seed: 1);
        string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dd-terms-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (train)
            using (var teacher = TrainedTeacher(train))
            {
                var options = Quick with { Epochs = 2, CheckpointDirectory = directory };
                manual_seed(2);
                using var first = new ClusterStudent();
                var full = first.Distill(teacher, train, options);
                using var second = new ClusterStudent();
                var resumed = second.Distill(teacher, train, options);

                Assert.Equal(2, resumed.ResumedAfterEpoch);
                Assert.Equal(full.Epochs.Select(e => (e.SoftTerm, e.HardTerm)), resumed.Epochs.Select(e => (e.SoftTerm, e.HardTerm)));
            }
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
