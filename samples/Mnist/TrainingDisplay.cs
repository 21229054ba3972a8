using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using DeclarativeDistill;
using Spectre.Console;

namespace Samples.Mnist;

/// <summary>
/// A live progress bar on a terminal. In a log (output redirected), a plain line at most every
/// <see cref="LogInterval"/> with the epoch, loss, throughput and time left, so that a long run is visibly
/// alive, and one line per model when it is done.
/// </summary>
public sealed class TrainingDisplay
{
    /// <summary>How often a log gets a progress line while a model trains.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Batches between reports: often enough for a live bar on a terminal, and for a log's clock.</summary>
    public int ProgressInterval => interactive ? 5 : 20;

    public TrainingReport Train(string name, Func<IProgress<TrainingProgress>, TrainingReport> train)
    {
        TrainingReport report;
        if (interactive)
        {
            report = AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(name), maxValue: 1);
                    return train(new SynchronousProgress<TrainingProgress>(update =>
                    {
                        task.Value = update.Fraction;
                        task.Description = Markup.Escape(update.Phase == TrainingPhases.Training
                            ? $"{name}  {Stage(update.Stage)}epoch {update.Epoch}/{update.Epochs}  loss {Loss(update.Loss, update.Terms)}"
                            : $"{name}  {update.Phase} {update.Batch}/{update.BatchesPerEpoch}");
                        if (update.Message is { } warning)
                        {
                            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(name)}: {Markup.Escape(warning)}[/]");
                        }
                    }));
                });
        }
        else
        {
            Console.WriteLine($"Training {name}");
            var sinceLine = Stopwatch.StartNew();
            report = train(new SynchronousProgress<TrainingProgress>(update =>
            {
                if (update.Message is { } warning)
                {
                    Console.WriteLine($"  warning: {warning}");
                }
                else if (sinceLine.Elapsed >= LogInterval && update.Fraction < 1)
                {
                    Console.WriteLine(update.Phase == TrainingPhases.Training
                        ? FormattableString.Invariant(
                            $"  {Stage(update.Stage)}epoch {update.Epoch}/{update.Epochs}, batch {update.Batch}/{update.BatchesPerEpoch}: loss {Loss(update.Loss, update.Terms)}, {update.SamplesPerSecond:N0} samples/s, {Duration(update.Remaining)} left")
                        : FormattableString.Invariant($"  {update.Phase}: {update.Batch}/{update.BatchesPerEpoch} chunks, {Duration(update.Remaining)} left"));
                    sinceLine.Restart();
                }
            }));
        }
        string final = report.Epochs.Count == 0 ? "no epochs" : Loss(report.FinalLoss, report.Epochs[^1].Terms);
        string hintStage = report.HintStage is { } stage ? $" after a hint stage of {stage.Epochs.Count} epochs (final hint loss {Number(stage.FinalLoss)})" : "";
        Console.WriteLine($"{name}: {report.Epochs.Count} epochs{hintStage} in {report.TotalTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, final loss {final}");
        return report;
    }

    /// <summary>The loss, and its terms by name when it has several: "0.4121 (soft 0.3702 + hard 0.04193)", "2.1 (hard 0.1 + dkd 2)".</summary>
    private static string Loss(double loss, IReadOnlyList<TermValue> terms) =>
        terms.Count < 2 ? Number(loss) : $"{Number(loss)} ({string.Join(" + ", terms.Select(t => $"{t.Name} {Number(t.Value)}"))})";

    private static string Stage(TrainingStage stage) => stage == TrainingStage.Hints ? "hint stage, " : "";

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 1
        ? FormattableString.Invariant($"{(int)span.TotalMinutes} min {span.Seconds} s")
        : FormattableString.Invariant($"{span.Seconds} s");
}
