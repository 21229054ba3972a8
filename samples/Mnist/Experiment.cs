using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DeclarativeDistill;
using Samples.Mnist.Conv;
using Spectre.Console;
using TorchSharp;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist;

/// <summary>
/// Trains each teacher (an MLP and a conv net), then each of its students twice (hard labels only, and distilled),
/// and prints the comparison.
/// </summary>
public static class Experiment
{
    public static int Run(Recipe recipe, string? dataPath, int threads, string experiment = "compare", bool deploy = false)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160); // a log file has no terminal width to fit
        }
        torch.set_num_threads(threads);
        LabeledDataset train, test;
        string source = "embedded MNIST sample";
        try
        {
            if (dataPath is null)
            {
                (train, test) = Datasets.MnistSample();
            }
            else
            {
                (train, test, string layout) = DataLoading.Load(dataPath, recipe.Seed);
                source = $"{Path.GetFullPath(dataPath)} ({layout})";
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Cannot load the data:[/] {e.Message}");
            return 1;
        }

        using (train)
        using (test)
        {
            if (train.FeatureSize != MnistTeacher.InputSize || train.ClassCount > MnistTeacher.OutputSize)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[red]The data has {train.FeatureSize} features and {train.ClassCount} classes; these models take {MnistTeacher.InputSize} and {MnistTeacher.OutputSize}.[/]");
                return 1;
            }
            AnsiConsole.MarkupLineInterpolated(
                $"Data: {source}: {train.Count:N0} training and {test.Count:N0} test images. Seed {recipe.Seed}, {threads} threads. Learning rates: teacher {recipe.TeacherLearningRate}, baselines {recipe.BaselineLearningRate}, distilled {recipe.DistillLearningRate}.");
            if (experiment == Methods.MethodsExperiment.Name)
            {
                Methods.MethodsExperiment.Run(recipe, train, test);
                return 0;
            }
            if (experiment == Methods.MethodsExperiment.SelectionName)
            {
                Methods.MethodsExperiment.Select(recipe, train);
                return 0;
            }
            if (experiment == FitNets.FitNetsExperiment.Name)
            {
                FitNets.FitNetsExperiment.Run(recipe, train, test);
                return 0;
            }
            if (experiment != "compare")
            {
                Hinton.HintonExperiments.Run(experiment, recipe, train, test);
                return 0;
            }
            // The recipe was chosen on the embedded digits. On other data, each student's learning rate (hard labels)
            // and temperature and Alpha (distilled) are chosen on a held-out tenth of the training set instead.
            var selection = dataPath is null ? null : Selection.HoldOut(train, recipe);
            if (selection is not null)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"Held out {selection.Validation.Count:N0} training images to choose each student's settings; everything trains on the other {selection.Train.Count:N0}.");
            }
            AnsiConsole.WriteLine();
            var (results, comparisons) = Compare(recipe, selection?.Train ?? train, test, selection, deploy);
            ResultsTable.Write(results, test.Count);
            Verdict.Write(comparisons);
            if (deploy)
            {
                DeploymentTable.Write(results, test.Count);
            }
            selection?.Dispose();
        }
        return 0;
    }

    private static (List<Result> Results, List<Comparison> Comparisons) Compare(Recipe recipe, LabeledDataset train, LabeledDataset test,
        Selection? selection, bool deploy)
    {
        var display = new TrainingDisplay();
        // With --deploy, each model is also exported (float32, int8 weights, dynamic int8, and static int8 calibrated on
        // the training images) and measured in ONNX Runtime before it is freed.
        Func<Model, DeploymentReport?> measure = model => deploy
            ? Deployment.Measure((IGeneratedNetwork)model, test, calibration: new Calibration(train))
            : null;
        var results = new List<Result>();
        var comparisons = new List<Comparison>();
        void AddPair(string student, string teacherName, Result teacher, Result hardLabels, Result distilled)
        {
            results.Add(hardLabels);
            results.Add(distilled);
            comparisons.Add(new Comparison(student, teacherName, teacher, hardLabels, distilled));
        }
        var baseline = new TrainingOptions
        {
            Epochs = recipe.StudentEpochs,
            BatchSize = recipe.BatchSize,
            LearningRate = recipe.BaselineLearningRate,
            Seed = recipe.Seed,
        };
        var distilled = baseline with { LearningRate = recipe.DistillLearningRate };

        var teacherOptions = baseline with
        {
            Epochs = recipe.TeacherEpochs,
            LearningRate = recipe.TeacherLearningRate,
            Augment = Augmentations.RandomShift(28, 28, recipe.TeacherJitter),
        };
        var teacher = Create(() => new MnistTeacher(), recipe.Seed);
        var teacherResult = TrainTeacher(display, $"Teacher {MnistTeacher.Architecture}, dropout, ±{recipe.TeacherJitter} px jitter",
            MnistTeacher.ParameterCount, MnistTeacher.MultiplyAdds, teacher, o => teacher.Fit(train, o), teacherOptions, test, measure);
        results.Add(teacherResult);

        AddPair($"Student {MnistStudent.Architecture}", "the MLP teacher", teacherResult,
            TrainStudent(display, $"Student {MnistStudent.Architecture}, hard labels", MnistStudent.ParameterCount, MnistStudent.MultiplyAdds, () => new MnistStudent(),
                Candidates.HardLabels<MnistStudent>((s, o) => s.Fit(train, o), baseline, selection), recipe.Seed, teacher, test, selection, measure),
            TrainStudent(display, $"Student {MnistStudent.Architecture}, distilled", MnistStudent.ParameterCount, MnistStudent.MultiplyAdds, () => new MnistStudent(),
                Candidates.Distilled<MnistStudent>(MnistStudent.Objective, (s, o, objective) => s.Distill(teacher, train, o, objective), distilled, selection),
                recipe.Seed, teacher, test, selection, measure));
        AddPair($"Student {TinyStudent.Architecture}", "the MLP teacher", teacherResult,
            TrainStudent(display, $"Student {TinyStudent.Architecture}, hard labels", TinyStudent.ParameterCount, TinyStudent.MultiplyAdds, () => new TinyStudent(),
                Candidates.HardLabels<TinyStudent>((s, o) => s.Fit(train, o), baseline, selection), recipe.Seed, teacher, test, selection, measure),
            TrainStudent(display, $"Student {TinyStudent.Architecture}, distilled", TinyStudent.ParameterCount, TinyStudent.MultiplyAdds, () => new TinyStudent(),
                Candidates.Distilled<TinyStudent>(TinyStudent.Objective, (s, o, objective) => s.Distill(teacher, train, o, objective), distilled, selection),
                recipe.Seed, teacher, test, selection, measure));
        teacher.Dispose();

        // The same comparison with convolutional networks.
        using var convTeacher = Create(() => new ConvTeacher(), recipe.Seed);
        var convTeacherResult = TrainTeacher(display, $"Conv teacher {ConvTeacher.Architecture}, dropout, ±{recipe.TeacherJitter} px jitter",
            ConvTeacher.ParameterCount, ConvTeacher.MultiplyAdds, convTeacher, o => convTeacher.Fit(train, o),
            teacherOptions with { Epochs = recipe.ConvTeacherEpochs }, test, measure);
        results.Add(convTeacherResult);
        var convOptions = baseline with { LearningRate = recipe.ConvStudentLearningRate };
        AddPair("Conv student", "the conv teacher", convTeacherResult,
            TrainStudent(display, $"Conv student {ConvStudent.Architecture}, hard labels", ConvStudent.ParameterCount, ConvStudent.MultiplyAdds, () => new ConvStudent(),
                Candidates.HardLabels<ConvStudent>((s, o) => s.Fit(train, o), convOptions, selection), recipe.Seed, convTeacher, test, selection, measure),
            TrainStudent(display, "Conv student, distilled", ConvStudent.ParameterCount, ConvStudent.MultiplyAdds, () => new ConvStudent(),
                Candidates.Distilled<ConvStudent>(ConvStudent.Objective, (s, o, objective) => s.Distill(convTeacher, train, o, objective), convOptions, selection),
                recipe.Seed, convTeacher, test, selection, measure));
        return (results, comparisons);
    }

    /// <summary>A teacher trained under the display and evaluated on the test set.</summary>
    private static Result TrainTeacher(TrainingDisplay display, string name, long parameters, long multiplyAdds, Model teacher,
        Func<TrainingOptions, TrainingReport> fit, TrainingOptions options, LabeledDataset test, Func<Model, DeploymentReport?> measure)
    {
        var report = display.Train(name, progress => fit(options with { Progress = progress, ProgressIntervalBatches = display.ProgressInterval }));
        var evaluation = Metrics.Evaluate(teacher, MnistTeacher.InputSize, MnistTeacher.OutputSize, test);
        return Result.Of(name, parameters, multiplyAdds, teacher, evaluation, teacher, test, report, measure(teacher));
    }

    /// <summary>
    /// One student trained one way: created from the seed (so its two ways start from the same weights), trained
    /// under the display, compared with the teacher on the test set, and freed. With several candidate settings,
    /// each is trained and the one with the fewest errors on the held-out images is kept.
    /// </summary>
    private static Result TrainStudent<T>(TrainingDisplay display, string name, long parameters, long multiplyAdds, Func<T> create,
        IReadOnlyList<Candidate<T>> candidates, long seed, Model teacher, LabeledDataset test, Selection? selection, Func<Model, DeploymentReport?> measure)
        where T : Model
    {
        T? best = null;
        Candidate<T>? chosen = null;
        TrainingReport? bestReport = null;
        int bestErrors = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var student = Create(create, seed);
            string label = candidates.Count == 1 ? name : $"{name}, {candidate.Label}";
            var report = display.Train(label,
                progress => candidate.Train(student, progress, display.ProgressInterval));
            // Every student reads the teacher's 784 inputs and has its 10 outputs: the generator checks that at compile time.
            int errors = selection is null || candidates.Count == 1
                ? 0
                : Metrics.Evaluate(student, MnistTeacher.InputSize, MnistTeacher.OutputSize, selection.Validation).Errors;
            if (best is null || errors < bestErrors)
            {
                best?.Dispose();
                (best, chosen, bestReport, bestErrors) = (student, candidate, report, errors);
            }
            else
            {
                student.Dispose();
            }
        }
        using (best)
        {
            string row = candidates.Count == 1 ? chosen!.Describe(name) : $"{chosen!.Describe(name)}, chosen on held-out ({bestErrors} errors)";
            var evaluation = Metrics.Evaluate(best!, MnistTeacher.InputSize, MnistTeacher.OutputSize, test);
            return Result.Of(row, parameters, multiplyAdds, best!, evaluation, teacher, test, bestReport!, measure(best!));
        }
    }

    /// <summary>Seeds TorchSharp before construction, so both runs of a student start from the same weights.</summary>
    private static T Create<T>(Func<T> create, long seed)
    {
        torch.manual_seed(seed);
        return create();
    }
}

/// <summary>
/// One row of the comparison, with its fidelity to the teacher on the test set and its latency: the median time
/// to classify one test image (batch 1, evaluation mode, TorchSharp), which is what a student buys at deployment.
/// </summary>
public sealed record Result(string Model, long Parameters, long MultiplyAdds, Evaluation Evaluation, Fidelity Fidelity, TrainingReport Training,
    TimeSpan Latency, DeploymentReport? Deployment)
{
    public static Result Of(string name, long parameters, long multiplyAdds, Model model, Evaluation evaluation, Model teacher, LabeledDataset test,
        TrainingReport report, DeploymentReport? deployment) =>
        new(name, parameters, multiplyAdds, evaluation, Metrics.Fidelity(model, test.Shape, new[] { teacher }, test), report, MedianLatency(model, test), deployment);

    /// <summary>Median over 201 single-image calls, after 20 to warm up.</summary>
    private static TimeSpan MedianLatency(Model model, LabeledDataset test)
    {
        model.eval();
        using var _ = torch.no_grad();
        var times = new List<double>();
        for (int i = 0; i < 221; i++)
        {
            using var image = test.Features.narrow(0, i % test.Count, 1);
            var clock = Stopwatch.StartNew();
            using (var logits = model.call(image))
            {
                clock.Stop();
            }
            if (i >= 20)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }
        times.Sort();
        return TimeSpan.FromSeconds(times[times.Count / 2]);
    }
}
