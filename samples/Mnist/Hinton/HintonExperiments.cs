using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclarativeDistill;
using Spectre.Console;
using TorchSharp;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist.Hinton;

/// <summary>
/// Hinton, Vinyals and Dean (2015), section 3, on whatever data the sample runs on: a transfer set without any
/// 3 (<c>without-3</c>), one of only 7s and 8s (<c>only-7-8</c>), and the temperature that suits a student's size
/// (<c>temperature</c>). A tenth of the training set is held out to choose the bias shift (the paper chose it on
/// the test set); the teacher and every student train on the other nine tenths; the test set only reports.
/// </summary>
public sealed class HintonExperiments
{
    /// <summary>The experiments, by the name <c>--experiment</c> takes.</summary>
    public static readonly string[] Names = { "without-3", "only-7-8", "temperature" };

    /// <summary>Temperatures of the sweep.</summary>
    public static readonly double[] Temperatures = { 1, 2, 2.5, 4, 8, 20 };

    private readonly Recipe recipe;
    private readonly Selection split;
    private readonly LabeledDataset test;
    private readonly TrainingDisplay display = new();

    private HintonExperiments(Recipe recipe, Selection split, LabeledDataset test)
    {
        this.recipe = recipe;
        this.split = split;
        this.test = test;
    }

    public static void Run(string name, Recipe recipe, LabeledDataset train, LabeledDataset test)
    {
        using var split = Selection.HoldOut(train, recipe);
        AnsiConsole.MarkupLineInterpolated(
            $"Held out {split.Validation.Count:N0} training images to choose the bias shift; the teacher and the students train on the other {split.Train.Count:N0}.");
        var experiments = new HintonExperiments(recipe, split, test);
        using var teacher = experiments.TrainTeacher();
        switch (name)
        {
            case "without-3":
                experiments.MissingClass(teacher);
                break;
            case "only-7-8":
                experiments.OnlySevensAndEights(teacher);
                break;
            case "temperature":
                experiments.TemperatureSweep(teacher);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, $"Known experiments: {string.Join(", ", Names)}.");
        }
    }

    private TrainingOptions Baseline => new()
    {
        Epochs = recipe.StudentEpochs,
        BatchSize = recipe.BatchSize,
        LearningRate = recipe.BaselineLearningRate,
        Seed = recipe.Seed,
    };

    private TrainingOptions Distilled => Baseline with { LearningRate = recipe.DistillLearningRate };

    private MnistTeacher TrainTeacher()
    {
        var teacher = Create(() => new MnistTeacher());
        var options = Baseline with
        {
            Epochs = recipe.TeacherEpochs,
            LearningRate = recipe.TeacherLearningRate,
            Augment = Augmentations.RandomShift(28, 28, recipe.TeacherJitter),
        };
        Train($"Teacher {MnistTeacher.Architecture} on all classes", o => teacher.Fit(split.Train, o), options);
        AnsiConsole.MarkupLineInterpolated($"Teacher: {teacher.Evaluate(test)}");
        return teacher;
    }

    /// <summary>The transfer set has no 3: the student learns of 3s only from the teacher's soft targets on other digits.</summary>
    private void MissingClass(MnistTeacher teacher)
    {
        int[] three = { 3 };
        using var transfer = split.Train.WithoutClasses(3);
        AnsiConsole.MarkupLineInterpolated($"Transfer set: {transfer.Count:N0} training images, none of them a 3.");
        var table = Table("3s", "Paper (of 10,000; 1,010 threes)");
        var epochs = SameSteps(transfer);
        AddRow(table, "Teacher (trained with 3s)", BiasShift.Errors(teacher, test, three), "67");

        using (var labels = Create(() => new MnistStudent()))
        {
            Train($"Student {MnistStudent.Architecture}, hard labels without 3s", o => labels.Fit(transfer, o), Baseline with { Epochs = epochs });
            AddRow(table, "Student, hard labels, no 3s", BiasShift.Errors(labels, test, three), "(not reported)");
        }

        using var student = Create(() => new MnistStudent());
        Train($"Student {MnistStudent.Architecture}, distilled without 3s ({MnistStudent.Objective})", o => student.Distill(teacher, transfer, o), Distilled with { Epochs = epochs });
        AddRow(table, "Student, distilled, no 3s", BiasShift.Errors(student, test, three), "206 errors, 133 on 3s");

        var (shift, heldOutErrors) = BiasShift.Choose(student, split.Validation, three, +1);
        BiasShift.Apply(student, three, +1, shift);
        AddRow(table, Invariant($"… with the 3 bias raised by {shift:0.0} (chosen on held-out: {heldOutErrors} errors)"),
            BiasShift.Errors(student, test, three), "raised by 3.5: 109 errors, 14 on 3s");
        AnsiConsole.Write(table);
    }

    /// <summary>The transfer set holds only 7s and 8s: the student learns every other digit from the teacher's soft targets.</summary>
    private void OnlySevensAndEights(MnistTeacher teacher)
    {
        int[] sevenEight = { 7, 8 };
        using var transfer = split.Train.OnlyClasses(7, 8);
        AnsiConsole.MarkupLineInterpolated($"Transfer set: {transfer.Count:N0} training images, all of them 7s and 8s.");
        var table = Table("7s and 8s", "Paper (of 10,000)");
        var epochs = SameSteps(transfer);
        AddRow(table, "Teacher (trained on all digits)", BiasShift.Errors(teacher, test, sevenEight), "67 errors");

        using (var labels = Create(() => new MnistStudent()))
        {
            Train($"Student {MnistStudent.Architecture}, hard labels, only 7s and 8s", o => labels.Fit(transfer, o), Baseline with { Epochs = epochs });
            AddRow(table, "Student, hard labels, only 7s and 8s", BiasShift.Errors(labels, test, sevenEight), "(not reported)");
        }

        using var student = Create(() => new MnistStudent());
        Train($"Student {MnistStudent.Architecture}, distilled on 7s and 8s ({MnistStudent.Objective})", o => student.Distill(teacher, transfer, o), Distilled with { Epochs = epochs });
        AddRow(table, "Student, distilled, only 7s and 8s", BiasShift.Errors(student, test, sevenEight), "47.3 % errors");

        var (shift, heldOutErrors) = BiasShift.Choose(student, split.Validation, sevenEight, -1);
        BiasShift.Apply(student, sevenEight, -1, shift);
        AddRow(table, Invariant($"… with the 7 and 8 biases lowered by {shift:0.0} (chosen on held-out: {heldOutErrors} errors)"),
            BiasShift.Errors(student, test, sevenEight), "lowered by 7.6: 13.2 % errors");
        AnsiConsole.Write(table);
    }

    /// <summary>Seeds each student of the sweep is trained with: one run's differences are a few errors, as large as the effect.</summary>
    private const int SweepSeeds = 3;

    /// <summary>
    /// Each temperature for a student of 300 and one of 30 units per layer, at run time through Objective with { Temperature },
    /// each trained from <see cref="SweepSeeds"/> seeds; the table gives mean errors.
    /// </summary>
    private void TemperatureSweep(MnistTeacher teacher)
    {
        var seeds = Enumerable.Range(0, SweepSeeds).Select(i => recipe.Seed + i).ToArray();
        var table = new Table()
            .Title(Invariant($"Mean errors over seeds {string.Join(", ", seeds)} on {split.Validation.Count:N0} held-out and {test.Count:N0} test images"))
            .AddColumn("Training")
            .AddColumn(new TableColumn($"{Student300.Architecture}: held-out").RightAligned())
            .AddColumn(new TableColumn("test").RightAligned())
            .AddColumn(new TableColumn($"{Student30.Architecture}: held-out").RightAligned())
            .AddColumn(new TableColumn("test").RightAligned());

        var wide = Sweep(seeds, () => new Student300(), Student300.Architecture,
            (s, o) => s.Fit(split.Train, o), (s, o, t) => s.Distill(teacher, split.Train, o, Student300.Objective with { Temperature = t }));
        var narrow = Sweep(seeds, () => new Student30(), Student30.Architecture,
            (s, o) => s.Fit(split.Train, o), (s, o, t) => s.Distill(teacher, split.Train, o, Student30.Objective with { Temperature = t }));
        for (int row = 0; row < wide.Count; row++)
        {
            table.AddRow(Markup.Escape(wide[row].Label), Mean(wide[row].HeldOut), Mean(wide[row].Test), Mean(narrow[row].HeldOut), Mean(narrow[row].Test));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Invariant(
            $"Paper: with 300 or more units per layer all T above 8 gave similar results; with 30 units, T from 2.5 to 4 worked significantly better. Alpha = {Student300.Alpha}, Beta = {Student300.Beta:0.0} throughout.")));
        foreach (var (name, rows) in new[] { (Student300.Architecture, wide), (Student30.Architecture, narrow) })
        {
            var best = rows.Skip(1).OrderBy(r => r.HeldOut + r.Test).First();
            AnsiConsole.MarkupLine(Markup.Escape(Invariant(
                $"{name}: fewest mean errors on held-out and test together at {best.Label} ({best.HeldOut + best.Test:F1}); hard labels alone {rows[0].HeldOut + rows[0].Test:F1}.")));
        }
    }

    private List<(string Label, double HeldOut, double Test)> Sweep<T>(long[] seeds, Func<T> create, string architecture,
        Func<T, TrainingOptions, TrainingReport> fit, Func<T, TrainingOptions, double, TrainingReport> distill)
        where T : Model
    {
        var runs = new List<(string Label, Func<T, TrainingOptions, TrainingReport> Train, TrainingOptions Options)>
        {
            ("Hard labels only", fit, Baseline),
        };
        runs.AddRange(Temperatures.Select(t => (Invariant($"Distilled, T = {t}"), (Func<T, TrainingOptions, TrainingReport>)((s, o) => distill(s, o, t)), Distilled)));
        var rows = new List<(string, double, double)>();
        foreach (var (label, train, options) in runs)
        {
            var heldOut = new List<int>();
            var tested = new List<int>();
            foreach (long seed in seeds)
            {
                torch.manual_seed(seed);
                using var student = create();
                Train(Invariant($"Student {architecture}, {label.ToLowerInvariant()}, seed {seed}"), o => train(student, o), options with { Seed = seed });
                heldOut.Add(Errors(student, split.Validation));
                tested.Add(Errors(student, test));
            }
            rows.Add((label, heldOut.Average(), tested.Average()));
        }
        return rows;
    }

    private static string Mean(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>
    /// Epochs that give a smaller transfer set as many SGD steps as the full training set gets in the recipe's epochs:
    /// 1,448 images of 7s and 8s would otherwise get a fifth of the updates, and the comparison would be of training
    /// budgets rather than of transfer sets.
    /// </summary>
    private int SameSteps(LabeledDataset transfer)
    {
        int epochs = (int)Math.Ceiling(recipe.StudentEpochs * (double)split.Train.Count / transfer.Count);
        AnsiConsole.MarkupLineInterpolated(
            $"Its students train for {epochs} epochs: as many steps as {recipe.StudentEpochs} epochs of the {split.Train.Count:N0} training images.");
        return epochs;
    }

    private static int Errors(Model model, LabeledDataset data) =>
        Metrics.Evaluate(model, MnistTeacher.InputSize, MnistTeacher.OutputSize, data).Errors;

    private void Train(string name, Func<TrainingOptions, TrainingReport> train, TrainingOptions options) =>
        display.Train(name, progress => train(options with { Progress = progress, ProgressIntervalBatches = display.ProgressInterval }));

    private T Create<T>(Func<T> create)
    {
        torch.manual_seed(recipe.Seed);
        return create();
    }

    private Table Table(string classes, string paper) => new Table()
        .Title(Invariant($"Test set: {test.Count:N0} images"))
        .AddColumn("Model")
        .AddColumn(new TableColumn("Test errors").RightAligned())
        .AddColumn(new TableColumn($"Errors on {classes}").RightAligned())
        .AddColumn(new TableColumn("Error rate").RightAligned())
        .AddColumn(paper);

    private void AddRow(Table table, string model, (int Errors, int OnClasses, int ClassCount) result, string paper) =>
        table.AddRow(
            Markup.Escape(model),
            Count(result.Errors),
            Markup.Escape(Invariant($"{result.OnClasses} of {result.ClassCount} ({(double)result.OnClasses / result.ClassCount:P1})")),
            Invariant($"{(double)result.Errors / test.Count:P2}"),
            Markup.Escape(paper));

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
