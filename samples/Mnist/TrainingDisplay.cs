using System;
using System.Globalization;
using DeclarativeDistill;
using Spectre.Console;

namespace Samples.Mnist;

/// <summary>A live progress bar on a terminal; one plain line per model when the output is redirected.</summary>
public sealed class TrainingDisplay
{
    private readonly bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Batches between reports: often enough for a live bar on a terminal, epochs only in a log.</summary>
    public int ProgressInterval => interactive ? 5 : 0;

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
                        task.Description = Markup.Escape($"{name}  epoch {update.Epoch}/{update.Epochs}  loss {update.Loss.ToString("G4", CultureInfo.InvariantCulture)}");
                    }));
                });
        }
        else
        {
            Console.Write($"Training {name} ... ");
            report = train(new SynchronousProgress<TrainingProgress>(_ => { }));
        }
        Console.WriteLine($"{name}: {report.Epochs.Count} epochs in {report.TotalTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, final loss {report.FinalLoss.ToString("G4", CultureInfo.InvariantCulture)}");
        return report;
    }
}
