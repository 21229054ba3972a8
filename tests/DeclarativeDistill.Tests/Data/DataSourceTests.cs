using System;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Hinted;
using DeclarativeDistill.Tests.Declarations.Methods;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>
/// The data-source seam: a source that is not in memory (read example by example, from several threads) trains,
/// distils, evaluates and measures fidelity exactly as the same examples in a <see cref="LabeledDataset"/> do.
/// </summary>
public sealed class DataSourceTests
{
    [Fact]
    public void Fit_and_evaluate_on_a_source_read_by_index_give_the_in_memory_weights_and_errors()
    {
        using var data = SyntheticData.Create(96, seed: 51);
        using var source = new ReadByIndex(data);

        var inMemory = Train(data);
        var read = Train(source);

        Assert.Equal(inMemory.Losses, read.Losses);
        Assert.All(inMemory.State.Zip(read.State), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
        Assert.Equal(inMemory.Errors, read.Errors);
        Assert.True(source.Reads > 0, "the trainer read the source");
    }

    [Fact]
    public void Distillation_with_cached_and_per_batch_teacher_sides_reads_a_source_as_it_reads_memory()
    {
        using var data = SyntheticData.Images(64, seed: 52);
        using var source = new ReadByIndex(data);
        manual_seed(53);
        using var teacher = new HintTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16 });

        foreach (bool cache in new[] { true, false })
        {
            double[] Run(DataSource transferSet)
            {
                manual_seed(54);
                using var student = new EveryMethodStudent();
                return student.Distill(teacher, transferSet, new TrainingOptions { Epochs = 2, BatchSize = 16, CacheTeacherOutputs = cache })
                    .Epochs.Select(e => e.Loss).ToArray();
            }
            Assert.Equal(Run(data), Run(source));
        }

        manual_seed(55);
        using var measured = new EveryMethodStudent();
        Assert.Equal(measured.MeasureFidelity(teacher, data), measured.MeasureFidelity(teacher, source));
    }

    private static (double[] Losses, Tensor[] State, int Errors) Train(DataSource data)
    {
        manual_seed(56);
        var model = new ClusterTeacher();
        var losses = model.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 57 }).Epochs.Select(e => e.Loss).ToArray();
        return (losses, model.parameters().Select(p => p.detach().clone()).ToArray(), model.Evaluate(data).Errors);
    }
}
