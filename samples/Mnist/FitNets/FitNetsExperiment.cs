using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclarativeDistill;
using Samples.Mnist.Conv;
using Spectre.Console;
using TorchSharp;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist.FitNets;

/// <summary>
/// What hints are for (Romero et al. 2015): a student thinner and deeper than its teacher, trained on hard labels, on
/// the teacher's soft targets, with FitNets' two stages (the lower half learns a teacher layer first), and with the
/// hint added to the loss in one stage. Every way of training gets the same number of passes over the data and the
/// learning rate, of <see cref="LearningRates"/>, that makes the fewest errors on a held-out tenth of the training set;
/// the test set only reports.
/// </summary>
public sealed class FitNetsExperiment
{
    public const string Name = "hints";

    /// <summary>The learning rates each way of training is tried with (SGD, momentum 0.9, cosine decay).</summary>
    public static readonly double[] LearningRates = { 0.005, 0.01, 0.02, 0.05 };

    /// <summary>
    /// The hint stage's learning rate, chosen once for the hint loss: at 0.05 and below, the mean squared error stays
    /// near where it starts (about 1.9) within the stage; at 0.5 it falls to about 0.4.
    /// </summary>
    public const double HintLearningRate = 0.5;

    private readonly Recipe recipe;
    private readonly Selection split;
    private readonly LabeledDataset test;
    private readonly TrainingDisplay display = new();

    private FitNetsExperiment(Recipe recipe, Selection split, LabeledDataset test)
    {
        this.recipe = recipe;
        this.split = split;
        this.test = test;
    }

    /// <summary>A third of the student epochs for the hint stage, the rest for distillation; other ways train for all of them.</summary>
    private int HintEpochs => Math.Max(1, recipe.StudentEpochs / 3);

    public static void Run(Recipe recipe, LabeledDataset train, LabeledDataset test)
    {
        using var split = Selection.HoldOut(train, recipe);
        AnsiConsole.MarkupLineInterpolated(
            $"Held out {split.Validation.Count:N0} training images to choose each learning rate; the teacher and the students train on the other {split.Train.Count:N0}.");
        var experiment = new FitNetsExperiment(recipe, split, test);
        using var teacher = experiment.TrainTeacher();
        experiment.Compare(teacher);
    }

    private ConvTeacher TrainTeacher()
    {
        torch.manual_seed(recipe.Seed);
        var teacher = new ConvTeacher();
        var options = new TrainingOptions
        {
            Epochs = recipe.ConvTeacherEpochs,
            BatchSize = recipe.BatchSize,
            LearningRate = recipe.TeacherLearningRate,
            Seed = recipe.Seed,
            Augment = Augmentations.RandomShift(28, 28, recipe.TeacherJitter),
        };
        Train($"Conv teacher {ConvTeacher.Architecture}", o => teacher.Fit(split.Train, o), options);
        AnsiConsole.MarkupLineInterpolated($"Conv teacher: {teacher.Evaluate(test)}");
        return teacher;
    }

    private void Compare(ConvTeacher teacher)
    {
        int epochs = recipe.StudentEpochs;
        int hintEpochs = HintEpochs;
        var guided = GuidedThinDeepStudent.Objective.Hints[0];
        AnsiConsole.MarkupLine(Markup.Escape(Invariant(
            $"Student {ThinDeepStudent.Architecture} ({ThinDeepStudent.ParameterCount:N0} parameters); hint: {guided}. Every way trains for {epochs} passes over the data; FitNets' hint stage takes {hintEpochs} of them, at learning rate {HintLearningRate}.")));
        var rows = new List<Row>
        {
            Best("Hard labels", () => new ThinDeepStudent(), (s, o) => s.Fit(split.Train, o), epochs, ThinDeepStudent.Architecture),
            Best("Soft targets (Hinton et al.)", () => new ThinDeepStudent(), (s, o) => s.Distill(teacher, split.Train, o), epochs, ThinDeepStudent.Architecture),
            Best("FitNets: hint stage, then soft targets", () => new GuidedThinDeepStudent(),
                (s, o) => s.Distill(teacher, split.Train, o with { Epochs = epochs - hintEpochs, HintEpochs = hintEpochs, HintLearningRate = HintLearningRate }),
                epochs, GuidedThinDeepStudent.Architecture),
            Best("Soft targets + hint in one loss", () => new GuidedThinDeepStudent(),
                (s, o) => s.Distill(teacher, split.Train, o, GuidedThinDeepStudent.Objective with { HintTraining = HintTraining.Combined }),
                epochs, GuidedThinDeepStudent.Architecture),
            Best(Invariant($"For scale: {ThinShallowStudent.Architecture} (one hidden layer), soft targets"), () => new ThinShallowStudent(),
                (s, o) => s.Distill(teacher, split.Train, o), epochs, ThinShallowStudent.Architecture),
        };

        var table = new Table()
            .Title(Invariant($"{split.Validation.Count:N0} held-out and {test.Count:N0} test images; seed {recipe.Seed}"))
            .AddColumn("Training")
            .AddColumn(new TableColumn("Learning rate").RightAligned())
            .AddColumn(new TableColumn("Held-out errors").RightAligned())
            .AddColumn(new TableColumn("Test errors").RightAligned())
            .AddColumn(new TableColumn("Test error rate").RightAligned())
            .AddColumn("Last epoch's loss");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Label), Invariant($"{row.LearningRate}"), Count(row.HeldOut), Count(row.Test),
                Invariant($"{(double)row.Test / test.Count:P2}"), Markup.Escape(row.Loss));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Invariant(
            $"Chance is {1 - 1.0 / test.ClassCount:P0} errors. The hint is learnt through a regressor ({guided.Regressor}) that is trained with the student and is not part of it.")));
    }

    /// <summary>Trains a fresh student at each learning rate and keeps the one with the fewest held-out errors.</summary>
    private Row Best<T>(string label, Func<T> create, Func<T, TrainingOptions, TrainingReport> train, int epochs, string architecture)
        where T : Model
    {
        Row? best = null;
        foreach (double rate in LearningRates)
        {
            torch.manual_seed(recipe.Seed);
            using var student = create();
            var options = new TrainingOptions { Epochs = epochs, BatchSize = recipe.BatchSize, LearningRate = rate, Seed = recipe.Seed };
            TrainingReport report;
            try
            {
                report = Train(Invariant($"{architecture}, {label.ToLowerInvariant()}, LR {rate}"), o => train(student, o), options);
            }
            catch (TrainingDivergedException e)
            {
                AnsiConsole.MarkupLineInterpolated($"  diverged: {e.Message}");
                continue;
            }
            var row = new Row(label, rate, Errors(student, split.Validation), Errors(student, test), Describe(report));
            if (best is null || row.HeldOut < best.HeldOut)
            {
                best = row;
            }
        }
        return best ?? new Row(label, double.NaN, split.Validation.Count, test.Count, "diverged at every learning rate");
    }

    /// <summary>The last epoch's loss, with its hint term; and the hint stage's last hint loss, if there was one.</summary>
    private static string Describe(TrainingReport report)
    {
        var last = report.Epochs.Count == 0 ? null : report.Epochs[^1];
        string loss = last is null ? "no epochs" : Number(last.Loss) + (last.HintTerms is { Count: > 0 } hints ? $" (hint {Number(hints.Sum())})" : "");
        return report.HintStage is { Epochs.Count: > 0 } stage ? $"{loss}; hint stage ended at {Number(stage.FinalLoss)}" : loss;
    }

    private static int Errors(Model model, LabeledDataset data) =>
        Metrics.Evaluate(model, ThinDeepStudent.InputSize, ThinDeepStudent.OutputSize, data).Errors;

    private TrainingReport Train(string name, Func<TrainingOptions, TrainingReport> train, TrainingOptions options) =>
        display.Train(name, progress => train(options with { Progress = progress, ProgressIntervalBatches = display.ProgressInterval }));

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private sealed record Row(string Label, double LearningRate, int HeldOut, int Test, string Loss);
}
