using System;
using System.Collections.Generic;
using System.IO;
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
    public static int Run(Recipe recipe, DirectoryInfo? dataDirectory, int threads)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160); // a log file has no terminal width to fit
        }
        torch.set_num_threads(threads);
        LabeledDataset train, test;
        try
        {
            (train, test) = dataDirectory is null
                ? Datasets.MnistSample()
                : Datasets.FromIdxDirectory(dataDirectory.FullName);
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
                $"Data: {(dataDirectory?.FullName ?? "embedded MNIST sample")}: {train.Count:N0} training and {test.Count:N0} test images. Seed {recipe.Seed}, {threads} threads. Learning rates: teacher {recipe.TeacherLearningRate}, baselines {recipe.BaselineLearningRate}, distilled {recipe.DistillLearningRate}.");
            AnsiConsole.WriteLine();
            var (results, comparisons) = Compare(recipe, train, test);
            ResultsTable.Write(results, test.Count);
            Verdict.Write(comparisons);
        }
        return 0;
    }

    private static (List<Result> Results, List<Comparison> Comparisons) Compare(Recipe recipe, LabeledDataset train, LabeledDataset test)
    {
        var display = new TrainingDisplay();
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
            MnistTeacher.ParameterCount, MnistTeacher.MultiplyAdds, teacher, o => teacher.Fit(train, o), teacherOptions, test);
        results.Add(teacherResult);

        AddPair($"Student {MnistStudent.Architecture}", "the MLP teacher", teacherResult,
            TrainStudent(display, $"Student {MnistStudent.Architecture}, hard labels", MnistStudent.ParameterCount, MnistStudent.MultiplyAdds,
                () => new MnistStudent(), (s, o) => s.Fit(train, o), baseline, recipe.Seed, teacher, test),
            TrainStudent(display, $"Student {MnistStudent.Architecture}, distilled (T = {MnistStudent.Temperature})", MnistStudent.ParameterCount, MnistStudent.MultiplyAdds,
                () => new MnistStudent(), (s, o) => s.Distill(teacher, train, o), distilled, recipe.Seed, teacher, test));
        AddPair($"Student {TinyStudent.Architecture}", "the MLP teacher", teacherResult,
            TrainStudent(display, $"Student {TinyStudent.Architecture}, hard labels", TinyStudent.ParameterCount, TinyStudent.MultiplyAdds,
                () => new TinyStudent(), (s, o) => s.Fit(train, o), baseline, recipe.Seed, teacher, test),
            TrainStudent(display, $"Student {TinyStudent.Architecture}, distilled (T = {TinyStudent.Temperature})", TinyStudent.ParameterCount, TinyStudent.MultiplyAdds,
                () => new TinyStudent(), (s, o) => s.Distill(teacher, train, o), distilled, recipe.Seed, teacher, test));
        teacher.Dispose();

        // The same comparison with convolutional networks.
        using var convTeacher = Create(() => new ConvTeacher(), recipe.Seed);
        var convTeacherResult = TrainTeacher(display, $"Conv teacher {ConvTeacher.Architecture}, dropout, ±{recipe.TeacherJitter} px jitter",
            ConvTeacher.ParameterCount, ConvTeacher.MultiplyAdds, convTeacher, o => convTeacher.Fit(train, o),
            teacherOptions with { Epochs = recipe.ConvTeacherEpochs }, test);
        results.Add(convTeacherResult);
        var convOptions = baseline with { LearningRate = recipe.ConvStudentLearningRate };
        AddPair("Conv student", "the conv teacher", convTeacherResult,
            TrainStudent(display, $"Conv student {ConvStudent.Architecture}, hard labels", ConvStudent.ParameterCount, ConvStudent.MultiplyAdds,
                () => new ConvStudent(), (s, o) => s.Fit(train, o), convOptions, recipe.Seed, convTeacher, test),
            TrainStudent(display, $"Conv student, distilled (T = {ConvStudent.Temperature})", ConvStudent.ParameterCount, ConvStudent.MultiplyAdds,
                () => new ConvStudent(), (s, o) => s.Distill(convTeacher, train, o), convOptions, recipe.Seed, convTeacher, test));
        return (results, comparisons);
    }

    /// <summary>A teacher trained under the display and evaluated on the test set.</summary>
    private static Result TrainTeacher(TrainingDisplay display, string name, long parameters, long multiplyAdds, Model teacher,
        Func<TrainingOptions, TrainingReport> fit, TrainingOptions options, LabeledDataset test)
    {
        var report = display.Train(name, progress => fit(options with { Progress = progress, ProgressInterval = display.ProgressInterval }));
        var evaluation = Metrics.Evaluate(teacher, MnistTeacher.InputSize, MnistTeacher.OutputSize, test);
        return Result.Of(name, parameters, multiplyAdds, teacher, evaluation, teacher, test, report);
    }

    /// <summary>
    /// One run of one student: created from the seed (so its two runs start from the same weights), trained
    /// under the display, compared with the teacher on the test set, and freed.
    /// </summary>
    private static Result TrainStudent<T>(TrainingDisplay display, string name, long parameters, long multiplyAdds, Func<T> create,
        Func<T, TrainingOptions, TrainingReport> train, TrainingOptions options, long seed, Model teacher, LabeledDataset test)
        where T : Model
    {
        using var student = Create(create, seed);
        var report = display.Train(name,
            progress => train(student, options with { Progress = progress, ProgressInterval = display.ProgressInterval }));
        // Every student reads the teacher's 784 inputs and has its 10 outputs: the generator checks that at compile time.
        var evaluation = Metrics.Evaluate(student, MnistTeacher.InputSize, MnistTeacher.OutputSize, test);
        return Result.Of(name, parameters, multiplyAdds, student, evaluation, teacher, test, report);
    }

    /// <summary>Seeds TorchSharp before construction, so both runs of a student start from the same weights.</summary>
    private static T Create<T>(Func<T> create, long seed)
    {
        torch.manual_seed(seed);
        return create();
    }
}

/// <summary>One row of the comparison.</summary>
public sealed record Result(string Model, long Parameters, long MultiplyAdds, Evaluation Evaluation, double Agreement, TrainingReport Training)
{
    public static Result Of(string name, long parameters, long multiplyAdds, Model model, Evaluation evaluation, Model teacher, LabeledDataset test,
        TrainingReport report) =>
        new(name, parameters, multiplyAdds, evaluation, Metrics.Agreement(model, teacher, test.Features), report);
}
