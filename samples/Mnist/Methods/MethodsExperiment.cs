using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using DeclarativeDistill;
using Samples.Mnist.Conv;
using Spectre.Console;
using TorchSharp;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist.Methods;

/// <summary>
/// The distillation methods side by side: for each of three seeds, the conv teacher trains once, then one small conv student
/// trains eight ways (hard labels; Hinton's KD; DKD, DIST, attention transfer, RKD, similarity-preserving and PKT, each
/// with the labels) with the same epochs, batches, learning rate and initial weights. The table gives each way's test
/// errors per seed, their mean and spread, and its time per epoch relative to KD's, measured in the same run.
/// </summary>
public sealed class MethodsExperiment
{
    public const string Name = "methods";

    /// <summary>How many seeds, from the recipe's.</summary>
    public const int Seeds = 3;

    private readonly Recipe recipe;
    private readonly LabeledDataset train;
    private readonly LabeledDataset test;
    private readonly TrainingDisplay display = new();

    private MethodsExperiment(Recipe recipe, LabeledDataset train, LabeledDataset test)
    {
        this.recipe = recipe;
        this.train = train;
        this.test = test;
    }

    /// <summary>The factors the paper's weights are tried at (declared before the ways, which use them).</summary>
    private static readonly double[] Factors = { 1, 0.25, 0.0625 };

    /// <summary>
    /// Each way of training: its label, the paper, the student it trains, and the constants tried for it by
    /// <see cref="SelectionName"/>: the paper's weights × 1, 1/4 and 1/16 (for KD, T = 2, 4 and 8). The students'
    /// attributes declare the constants that made the fewest held-out errors.
    /// </summary>
    private static IReadOnlyList<Way> Ways { get; } = new Way[]
    {
        new("Hard labels", "", () => new HardLabelStudent(), null, (s, _, data, o, _) => ((HardLabelStudent)s).Fit(data, o), new[] { new Candidate("cross-entropy alone", null) }),
        new("KD", "Hinton et al. 2015", () => new KdStudent(), KdStudent.Objective, (s, t, data, o, objective) => ((KdStudent)s).Distill(t, data, o, objective),
            new[] { 2.0, 4, 8 }.Select(t => new Candidate(Invariant($"T = {t}"), KdStudent.Objective with { Temperature = t })).ToArray()),
        new("DKD", "Zhao et al. 2022", () => new DkdStudent(), DkdStudent.Objective, (s, t, data, o, objective) => ((DkdStudent)s).Distill(t, data, o, objective),
            Scaled(DkdStudent.Objective, f => new DkdTerm { Beta = DkdAttribute.DefaultBeta * f, WarmupEpochs = 3 }, f => Invariant($"Beta = {DkdAttribute.DefaultBeta * f}"))),
        new("DIST", "Huang et al. 2022", () => new DistStudent(), DistStudent.Objective, (s, t, data, o, objective) => ((DistStudent)s).Distill(t, data, o, objective),
            Scaled(DistStudent.Objective, f => new DistTerm { Temperature = 4, Beta = 2 * f, Gamma = 2 * f }, f => Invariant($"Beta = Gamma = {2 * f}"))),
        new("Attention transfer", "Zagoruyko & Komodakis 2017", () => new AttentionStudent(), AttentionStudent.Objective,
            (s, t, data, o, objective) => ((AttentionStudent)s).Distill(t, data, o, objective),
            Scaled(AttentionStudent.Objective, f => AttentionStudent.Objective.Terms.Cast<AttentionTransferTerm>().Select(a => a with { Weight = AttentionTransferAttribute.DefaultWeight * f }),
                f => Invariant($"Weight = {AttentionTransferAttribute.DefaultWeight * f}"))),
        new("RKD", "Park et al. 2019", () => new RkdStudent(), RkdStudent.Objective, (s, t, data, o, objective) => ((RkdStudent)s).Distill(t, data, o, objective),
            Scaled(RkdStudent.Objective, f => new RkdTerm("hidden1", "hidden1") { DistanceWeight = RkdAttribute.DefaultDistanceWeight * f, AngleWeight = RkdAttribute.DefaultAngleWeight * f },
                f => Invariant($"weights {RkdAttribute.DefaultDistanceWeight * f}, {RkdAttribute.DefaultAngleWeight * f}"))),
        new("Similarity-preserving", "Tung & Mori 2019", () => new SimilarityStudent(), SimilarityStudent.Objective,
            (s, t, data, o, objective) => ((SimilarityStudent)s).Distill(t, data, o, objective),
            Scaled(SimilarityStudent.Objective, f => new SimilarityPreservingTerm("bn2", "bn2") { Weight = SimilarityPreservingAttribute.DefaultWeight * f },
                f => Invariant($"Weight = {SimilarityPreservingAttribute.DefaultWeight * f}"))),
        new("PKT", "Passalis & Tefas 2018", () => new PktStudent(), PktStudent.Objective, (s, t, data, o, objective) => ((PktStudent)s).Distill(t, data, o, objective),
            Scaled(PktStudent.Objective, f => new PktTerm("hidden1", "hidden1") { Weight = PktAttribute.DefaultWeight * f }, f => Invariant($"Weight = {PktAttribute.DefaultWeight * f}"))),
    };

    /// <summary>The held-out comparison of each method's constants that chose the declared ones.</summary>
    public const string SelectionName = "methods-selection";

    private static Candidate[] Scaled(DistillationObjective declared, Func<double, DistillationTerm> term, Func<double, string> label) =>
        Scaled(declared, f => new[] { term(f) }, label);

    private static Candidate[] Scaled(DistillationObjective declared, Func<double, IEnumerable<DistillationTerm>> terms, Func<double, string> label) =>
        Factors.Select(f => new Candidate(label(f), declared with { Terms = terms(f).ToArray() })).ToArray();

    public static void Run(Recipe recipe, LabeledDataset train, LabeledDataset test)
    {
        var clock = Stopwatch.StartNew();
        var experiment = new MethodsExperiment(recipe, train, test);
        experiment.Describe();
        var results = new List<Outcome>();
        var teacherErrors = new List<int>();
        for (long seed = recipe.Seed; seed < recipe.Seed + Seeds; seed++)
        {
            using var teacher = experiment.TrainTeacher(seed);
            teacherErrors.Add(Errors(teacher, test));
            foreach (var way in Ways)
            {
                results.Add(experiment.TrainStudent(way, way.Declared, teacher, seed, test));
            }
        }
        Write(results, teacherErrors, test.Count);
        AnsiConsole.MarkupLine(Markup.Escape(Invariant($"The whole comparison took {clock.Elapsed.TotalMinutes:F1} min on {torch.get_num_threads()} threads.")));
    }

    /// <summary>
    /// How the declared constants were chosen: a tenth of the training set is held out, the teacher (seed of the recipe)
    /// and every candidate train on the rest, and each method's candidate with the fewest held-out errors is the one to
    /// declare. The test set is not looked at.
    /// </summary>
    public static void Select(Recipe recipe, LabeledDataset train)
    {
        var clock = Stopwatch.StartNew();
        using var split = Selection.HoldOut(train, recipe);
        var experiment = new MethodsExperiment(recipe, split.Train, split.Validation);
        experiment.Describe();
        AnsiConsole.MarkupLineInterpolated(
            $"Held out {split.Validation.Count:N0} training images; the teacher and every candidate train on the other {split.Train.Count:N0}.");
        using var teacher = experiment.TrainTeacher(recipe.Seed);
        var table = new Table()
            .Title(Invariant($"Held-out errors out of {split.Validation.Count:N0}, seed {recipe.Seed}; teacher {Errors(teacher, split.Validation)}"))
            .AddColumn("Training")
            .AddColumn("Constants tried (fewest errors first)")
            .AddColumn("Declared");
        foreach (var way in Ways.Where(w => w.Candidates.Count > 0))
        {
            var tried = way.Candidates
                .Select(c => (Candidate: c, Outcome: experiment.TrainStudent(way, c.Objective, teacher, recipe.Seed, split.Validation)))
                .OrderBy(t => t.Outcome.Errors ?? int.MaxValue)
                .ToList();
            string declared = way.Candidates.FirstOrDefault(c => Equals(c.Objective, way.Declared)) is { } chosen
                ? chosen.Label
                : "other: " + way.Declared;
            table.AddRow(Markup.Escape(way.Label),
                Markup.Escape(string.Join("; ", tried.Select(t => $"{t.Candidate.Label}: {(t.Outcome.Errors is { } e ? Invariant($"{e}") : "diverged")}"))),
                Markup.Escape(declared));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Invariant($"The selection took {clock.Elapsed.TotalMinutes:F1} min on {torch.get_num_threads()} threads.")));
    }

    private void Describe() =>
        AnsiConsole.MarkupLine(Markup.Escape(Invariant(
            $"Student {MethodStudents.Layers} ({HardLabelStudent.ParameterCount:N0} parameters, {HardLabelStudent.MultiplyAdds:N0} multiply-adds); teacher {ConvTeacher.Architecture} ({ConvTeacher.ParameterCount:N0}). Every way trains {recipe.StudentEpochs} epochs at learning rate {recipe.ConvStudentLearningRate}, batch {recipe.BatchSize}; seeds {recipe.Seed} to {recipe.Seed + Seeds - 1}.")));

    private ConvTeacher TrainTeacher(long seed)
    {
        torch.manual_seed(seed);
        var teacher = new ConvTeacher();
        var options = new TrainingOptions
        {
            Epochs = recipe.ConvTeacherEpochs,
            BatchSize = recipe.BatchSize,
            LearningRate = recipe.TeacherLearningRate,
            Seed = seed,
            Augment = Augmentations.RandomShift(28, 28, recipe.TeacherJitter),
        };
        Train(Invariant($"Conv teacher, seed {seed}"), o => teacher.Fit(train, o), options);
        return teacher;
    }

    private Outcome TrainStudent(Way way, DistillationObjective? objective, ConvTeacher teacher, long seed, LabeledDataset evaluation)
    {
        torch.manual_seed(seed);
        using var student = way.Create();
        var options = new TrainingOptions { Epochs = recipe.StudentEpochs, BatchSize = recipe.BatchSize, LearningRate = recipe.ConvStudentLearningRate, Seed = seed };
        try
        {
            var report = Train(Invariant($"{way.Label}, seed {seed}"), o => way.Train(student, teacher, train, o, objective), options);
            double perEpoch = report.Epochs.Average(e => e.Duration.TotalSeconds);
            return new Outcome(way, seed, Errors(student, evaluation), perEpoch);
        }
        catch (TrainingDivergedException e)
        {
            AnsiConsole.MarkupLineInterpolated($"  diverged: {e.Message}");
            return new Outcome(way, seed, null, double.NaN);
        }
    }

    private static void Write(List<Outcome> results, List<int> teacherErrors, int testCount)
    {
        var seeds = results.Select(r => r.Seed).Distinct().ToList();
        double kdEpoch = Mean(results.Where(r => r.Way.Label == "KD").Select(r => r.SecondsPerEpoch));
        double baseline = Mean(results.Where(r => r.Way == Ways[0] && r.Errors is not null).Select(r => (double)r.Errors!.Value));
        var table = new Table()
            .Title(Invariant($"Test errors out of {testCount:N0}; conv teacher {string.Join(", ", teacherErrors)} (seeds {string.Join(", ", seeds)})"))
            .AddColumn("Training")
            .AddColumn("Paper");
        foreach (long seed in seeds)
        {
            table.AddColumn(new TableColumn(Invariant($"Seed {seed}")).RightAligned());
        }
        table.AddColumn(new TableColumn("Mean ± sd").RightAligned())
            .AddColumn(new TableColumn("vs hard labels").RightAligned())
            .AddColumn(new TableColumn("Time per epoch vs KD").RightAligned());
        foreach (var way in Ways)
        {
            var mine = results.Where(r => r.Way == way).OrderBy(r => r.Seed).ToList();
            var errors = mine.Where(r => r.Errors is not null).Select(r => (double)r.Errors!.Value).ToList();
            double mean = Mean(errors);
            var cells = new List<string> { Markup.Escape(way.Label), Markup.Escape(way.Paper) };
            cells.AddRange(mine.Select(r => r.Errors is { } e ? Invariant($"{e}") : "diverged"));
            cells.Add(errors.Count == 0 ? "-" : Invariant($"{mean:F1} ± {StandardDeviation(errors):F1}"));
            cells.Add(way == Ways[0] || errors.Count == 0 ? "" : Invariant($"{mean - baseline:+0.0;-0.0;0.0}"));
            cells.Add(Invariant($"{Mean(mine.Select(r => r.SecondsPerEpoch)) / kdEpoch:F2}×"));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Invariant(
            $"Time per epoch is the mean over seeds of each training's mean epoch, KD's being {kdEpoch * 1000:F0} ms; teachers' sides that can be cached are computed once per training, before its first epoch, and are not in it.")));
        foreach (var way in Ways.Skip(1))
        {
            AnsiConsole.MarkupLine(Markup.Escape($"  {way.Label}: {way.Declared}"));
        }
    }

    private static int Errors(Model model, LabeledDataset data) =>
        Metrics.Evaluate(model, FeatureShape.Parse(HardLabelStudent.InputShape), HardLabelStudent.OutputSize, data).Errors;

    private TrainingReport Train(string name, Func<TrainingOptions, TrainingReport> train, TrainingOptions options) =>
        display.Train(name, progress => train(options with { Progress = progress, ProgressIntervalBatches = display.ProgressInterval }));

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }

    /// <summary>The sample standard deviation (n − 1); 0 for one value.</summary>
    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private sealed record Way(string Label, string Paper, Func<Model> Create, DistillationObjective? Declared,
        Func<Model, ConvTeacher, LabeledDataset, TrainingOptions, DistillationObjective?, TrainingReport> Train, IReadOnlyList<Candidate> Candidates);

    private sealed record Candidate(string Label, DistillationObjective? Objective);

    private sealed record Outcome(Way Way, long Seed, int? Errors, double SecondsPerEpoch);
}
