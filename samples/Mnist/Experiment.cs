using System;
using System.Collections.Generic;
using System.IO;
using DeclarativeDistill;
using Spectre.Console;
using TorchSharp;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist;

/// <summary>Trains the teacher, then each student twice (hard labels only, and distilled), and prints the comparison.</summary>
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
            var results = Compare(recipe, train, test);
            ResultsTable.Write(results, test.Count);
        }
        return 0;
    }

    private static List<Result> Compare(Recipe recipe, LabeledDataset train, LabeledDataset test)
    {
        var display = new TrainingDisplay();
        var results = new List<Result>();
        var baseline = new TrainingOptions
        {
            Epochs = recipe.StudentEpochs,
            BatchSize = recipe.BatchSize,
            LearningRate = recipe.BaselineLearningRate,
            Seed = recipe.Seed,
        };
        var distilled = baseline with { LearningRate = recipe.DistillLearningRate };

        var teacher = Create(() => new MnistTeacher(), recipe.Seed);
        var teacherReport = display.Train("teacher 784-1200-1200-10", progress => teacher.Fit(train, baseline with
        {
            Epochs = recipe.TeacherEpochs,
            LearningRate = recipe.TeacherLearningRate,
            Augment = Augmentations.RandomShift(28, 28, recipe.TeacherJitter),
            Progress = progress,
            ProgressInterval = display.ProgressInterval,
        }));
        results.Add(Result.Of($"Teacher {MnistTeacher.Architecture}, dropout, ±{recipe.TeacherJitter} px jitter",
            MnistTeacher.ParameterCount, teacher, teacher.Evaluate(test), teacher, test, teacherReport));

        var student = Create(() => new MnistStudent(), recipe.Seed);
        var report = display.Train("student 784-800-800-10, hard labels", p => student.Fit(train, baseline with { Progress = p, ProgressInterval = display.ProgressInterval }));
        results.Add(Result.Of($"Student {MnistStudent.Architecture}, hard labels", MnistStudent.ParameterCount, student, student.Evaluate(test), teacher, test, report));
        student.Dispose();

        student = Create(() => new MnistStudent(), recipe.Seed);
        report = display.Train("student 784-800-800-10, distilled", p => student.Distill(teacher, train, distilled with { Progress = p, ProgressInterval = display.ProgressInterval }));
        results.Add(Result.Of($"Student {MnistStudent.Architecture}, distilled (T = {MnistStudent.Temperature})", MnistStudent.ParameterCount, student, student.Evaluate(test), teacher, test, report));
        student.Dispose();

        var tiny = Create(() => new TinyStudent(), recipe.Seed);
        report = display.Train("student 784-30-10, hard labels", p => tiny.Fit(train, baseline with { Progress = p, ProgressInterval = display.ProgressInterval }));
        results.Add(Result.Of($"Student {TinyStudent.Architecture}, hard labels", TinyStudent.ParameterCount, tiny, tiny.Evaluate(test), teacher, test, report));
        tiny.Dispose();

        tiny = Create(() => new TinyStudent(), recipe.Seed);
        report = display.Train("student 784-30-10, distilled", p => tiny.Distill(teacher, train, distilled with { Progress = p, ProgressInterval = display.ProgressInterval }));
        results.Add(Result.Of($"Student {TinyStudent.Architecture}, distilled (T = {TinyStudent.Temperature})", TinyStudent.ParameterCount, tiny, tiny.Evaluate(test), teacher, test, report));
        tiny.Dispose();

        teacher.Dispose();
        return results;
    }

    /// <summary>Seeds TorchSharp before construction, so both runs of a student start from the same weights.</summary>
    private static T Create<T>(Func<T> create, long seed)
    {
        torch.manual_seed(seed);
        return create();
    }
}

/// <summary>One row of the comparison.</summary>
public sealed record Result(string Model, long Parameters, Evaluation Evaluation, double Agreement, TrainingReport Training)
{
    public static Result Of(string name, long parameters, Model model, Evaluation evaluation, Model teacher, LabeledDataset test, TrainingReport report) =>
        new(name, parameters, evaluation, Metrics.Agreement(model, teacher, test.Features), report);
}
