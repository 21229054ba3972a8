using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclarativeDistill;
using TorchSharp;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist;

/// <summary>
/// How settings are chosen on a data set other than the embedded digits: a tenth of the training set, drawn at
/// random from the seed, is held out; every model trains on the rest; each student tries a few settings and keeps
/// the one with the fewest errors on the held-out images. The test set is used only to report.
/// </summary>
public sealed class Selection : IDisposable
{
    private Selection(LabeledDataset train, LabeledDataset validation)
    {
        Train = train;
        Validation = validation;
    }

    /// <summary>Learning rates tried for the students trained on hard labels.</summary>
    public static readonly double[] LearningRates = { 0.05, 0.1, 0.2 };

    /// <summary>Temperature and Alpha tried for the distilled students, besides the declared ones (Beta = 1 − Alpha).</summary>
    public static readonly (double Temperature, double Alpha)[] Objectives = { (2, 0.5), (4, 0.5) };

    /// <summary>The nine tenths that every model trains on.</summary>
    public LabeledDataset Train { get; }

    /// <summary>The held-out tenth that settings are chosen on.</summary>
    public LabeledDataset Validation { get; }

    public static Selection HoldOut(LabeledDataset data, Recipe recipe)
    {
        using var generator = new torch.Generator((ulong)recipe.Seed);
        using var order = torch.randperm(data.Count, generator: generator);
        int held = data.Count / 10;
        using var trainRows = order.narrow(0, held, data.Count - held);
        using var heldRows = order.narrow(0, 0, held);
        return new Selection(Rows(data, trainRows), Rows(data, heldRows));
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }

    private static LabeledDataset Rows(LabeledDataset data, torch.Tensor rows)
    {
        using var features = data.Features.index_select(0, rows);
        using var labels = data.Labels.index_select(0, rows);
        return new LabeledDataset(features, labels, data.ClassCount);
    }
}

/// <summary>One way to train a student: a label for the table ("LR 0.1", "T = 2, α = 0.5") and the training itself.</summary>
public sealed record Candidate<T>(string Label, Func<T, IProgress<TrainingProgress>, int, TrainingReport> Train)
    where T : Model
{
    /// <summary>The row's name: <paramref name="name"/>, with the setting in parentheses when there is one.</summary>
    public string Describe(string name) => Label.Length == 0 ? name : $"{name} ({Label})";
}

/// <summary>The settings a student is trained with: the recipe's alone, or with a <see cref="Selection"/> a few to choose from.</summary>
public static class Candidates
{
    public static IReadOnlyList<Candidate<T>> HardLabels<T>(Func<T, TrainingOptions, TrainingReport> fit, TrainingOptions options, Selection? selection)
        where T : Model
    {
        if (selection is null)
        {
            return new[] { new Candidate<T>("", (s, progress, interval) => fit(s, With(options, progress, interval))) };
        }
        return Selection.LearningRates
            .Select(rate => new Candidate<T>(FormattableString.Invariant($"LR {rate}"),
                (s, progress, interval) => fit(s, With(options, progress, interval) with { LearningRate = rate })))
            .ToList();
    }

    /// <summary>
    /// The declared objective; with a selection, also the other objectives of <see cref="Selection.Objectives"/>,
    /// passed to the generated <c>Distill</c> as run-time overrides of the declared one.
    /// </summary>
    public static IReadOnlyList<Candidate<T>> Distilled<T>(DistillationObjective declared,
        Func<T, TrainingOptions, DistillationObjective, TrainingReport> distill, TrainingOptions options, Selection? selection)
        where T : Model
    {
        var candidates = new List<Candidate<T>>
        {
            new(FormattableString.Invariant($"T = {declared.Temperature}{(selection is null ? "" : $", α = {declared.Alpha}")}"),
                (s, progress, interval) => distill(s, With(options, progress, interval), declared)),
        };
        if (selection is not null)
        {
            foreach (var (t, a) in Selection.Objectives.Where(o => o != (declared.Temperature, declared.Alpha)))
            {
                var objective = declared with { Temperature = t, Alpha = a, Beta = 1 - a };
                candidates.Add(new(FormattableString.Invariant($"T = {t}, α = {a}"),
                    (s, progress, interval) => distill(s, With(options, progress, interval), objective)));
            }
        }
        return candidates;
    }

    private static TrainingOptions With(TrainingOptions options, IProgress<TrainingProgress> progress, int interval) =>
        options with { Progress = progress, ProgressIntervalBatches = interval };
}
