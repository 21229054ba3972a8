using System;
using System.Diagnostics;
using System.Globalization;
using DeclarativeDistill;
using Spectre.Console;

namespace Samples.CompressionStudy.Study;

/// <summary>
/// Live progress: on a terminal, a bar for the whole study and one for the model in training (epoch and loss
/// terms); in a log, one line per step and a line at most every ten seconds while a model trains.
/// </summary>
public sealed class StudyDisplay
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
    private readonly bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private readonly int totalSteps;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private ProgressContext? context;
    private ProgressTask? overall;
    private int done;

    public StudyDisplay(int totalSteps) => this.totalSteps = totalSteps;

    /// <summary>Batches between progress reports.</summary>
    public int ProgressInterval => interactive ? 5 : 20;

    /// <summary>Runs the whole study under the display.</summary>
    public T Run<T>(Func<T> study)
    {
        if (!interactive)
        {
            return study();
        }
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progressContext =>
            {
                context = progressContext;
                overall = progressContext.AddTask("Study", maxValue: totalSteps);
                return study();
            });
    }

    /// <summary>Trains one model under a bar (terminal) or timed lines (log).</summary>
    public TrainingReport Train(string name, Func<TrainingOptions, TrainingReport> train, TrainingOptions options)
    {
        var sinceLine = Stopwatch.StartNew();
        var task = context?.AddTask(Markup.Escape(name), maxValue: 1);
        var report = train(options with
        {
            ProgressIntervalBatches = ProgressInterval,
            Progress = new SynchronousProgress<TrainingProgress>(update =>
            {
                string line = update.Phase == TrainingPhases.Training
                    ? $"{name}: epoch {update.Epoch}/{update.Epochs}, loss {Loss(update.Loss, update.SoftTerm, update.HardTerm)}"
                    : $"{name}: {update.Phase} {update.Batch}/{update.BatchesPerEpoch}";
                if (task is not null)
                {
                    task.Value = update.Fraction;
                    task.Description = Markup.Escape(line);
                }
                else if (sinceLine.Elapsed >= LogInterval && update.Fraction < 1)
                {
                    Console.WriteLine("  " + line);
                    sinceLine.Restart();
                }
            }),
        });
        if (task is not null)
        {
            task.Value = 1;
            task.StopTask();
        }
        return report;
    }

    /// <summary>Marks one step done and reports its result.</summary>
    public void Done(Row row)
    {
        done++;
        string line = FormattableString.Invariant(
            $"[{done}/{totalSteps}, {clock.Elapsed.TotalMinutes:F1} min] {row.Model}, {row.Variant}: {row.Accuracy:P2}, {row.SizeInBytes:N0} bytes");
        if (overall is not null)
        {
            overall.Increment(1);
            context!.Refresh();
            AnsiConsole.MarkupLine(Markup.Escape(line));
        }
        else
        {
            Console.WriteLine(line);
        }
    }

    private static string Loss(double loss, double? soft, double? hard) => soft is { } s && hard is { } h
        ? FormattableString.Invariant($"{loss:G4} (soft {s:G4} + hard {h:G4})")
        : loss.ToString("G4", CultureInfo.InvariantCulture);
}
