using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using DeclarativeDistill;
using Samples.CompressionStudy.Plots;
using Samples.CompressionStudy.Study;
using Spectre.Console;
using TorchSharp;

// dotnet run --project samples/CompressionStudy -- --out results [--data ~/fashion-mnist --epochs-scale 2 --seed 1]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture; // numbers in the report and the plots read the same everywhere
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var output = new Option<DirectoryInfo>("--out")
{
    Description = "Directory for report.md and the five PNG figures (created if missing).",
    Required = true,
};
var data = new Option<DirectoryInfo?>("--data")
{
    Description = "A directory of standard IDX files (train-images-idx3-ubyte[.gz], ...), e.g. Fashion-MNIST. Default: the embedded MNIST digits.",
};
var scale = new Option<double>("--epochs-scale")
{
    Description = "Multiplies every training's epochs (0.5: a quick look; 2: a longer study).",
    DefaultValueFactory = _ => 1.0,
};
var seed = new Option<long>("--seed") { Description = "Seed of initial weights and batch order.", DefaultValueFactory = _ => 1 };
var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };
scale.Validators.Add(result =>
{
    double value = result.GetValueOrDefault<double>();
    if (!(value > 0) || double.IsInfinity(value))
    {
        result.AddError("--epochs-scale must be positive.");
    }
});
threads.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--threads must be at least 1.");
    }
});

var root = new RootCommand("Compresses MLP, CNN and ResNet baselines by distillation, int8 quantization and pruning, and reports accuracy against size.")
{
    output, data, scale, seed, threads,
};
root.SetAction(result =>
{
    var directory = result.GetValue(output)!;
    var dataDirectory = result.GetValue(data);
    var budget = new StudyBudget { Seed = result.GetValue(seed) }.Scaled(result.GetValue(scale));
    torch.set_num_threads(result.GetValue(threads));
    if (Console.IsOutputRedirected)
    {
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
    }

    LabeledDataset train, test;
    try
    {
        Directory.CreateDirectory(directory.FullName);
        (train, test) = dataDirectory is null ? Datasets.MnistSample() : Datasets.FromIdxDirectory(dataDirectory.FullName);
    }
    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
        return 1;
    }
    using (train)
    using (test)
    {
        if (train.FeatureSize != 784 || train.ClassCount > 10)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The study's networks read 28x28 images of up to 10 classes; the data has {train.FeatureSize} features and {train.ClassCount} classes.[/]");
            return 1;
        }
        string source = dataDirectory?.FullName ?? "the embedded MNIST sample";
        AnsiConsole.MarkupLineInterpolated($"Data: {source}: {train.Count:N0} training and {test.Count:N0} test images. Writing to {directory.FullName}.");
        var clock = Stopwatch.StartNew();
        var rows = new CompressionRun(budget, train, test).Run();

        Figures.UseBundledFont();
        var figures = Figures.WriteAll(rows, directory.FullName);
        string setting = FormattableString.Invariant(
            $"Data: {source}, {train.Count:N0} training and {test.Count:N0} test images. Seed {budget.Seed}; epochs: MLP {budget.MlpEpochs}, CNN {budget.CnnEpochs}, ResNet {budget.ResNetEpochs}; fine-tuning after pruning {budget.FineTuneEpochs} epoch(s) at LR {budget.FineTuneLearningRate}; SGD with momentum 0.9, cosine schedule, batch {budget.BatchSize}. {torch.get_num_threads()} CPU threads; the whole study took {clock.Elapsed.TotalMinutes:F1} min.");
        string report = Report.Write(directory.FullName, rows, setting, figures);
        AnsiConsole.WriteLine();
        foreach (string finding in Report.Findings(rows))
        {
            AnsiConsole.MarkupLine(Markup.Escape("- " + finding.Replace("**", "", StringComparison.Ordinal)));
        }
        AnsiConsole.MarkupLineInterpolated($"Wrote {report} and {figures.Count} figures in {clock.Elapsed.TotalMinutes:F1} min.");
    }
    return 0;
});
return root.Parse(args).Invoke();
