using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// Progress reports as lines of text, at most one every <see cref="Interval"/> while a phase or epoch goes on, and always
/// the one that closes it: what <see cref="ConsoleProgress"/> prints and <see cref="LoggerProgress"/> logs.
/// </summary>
public abstract class ProgressLines : IProgress<TrainingProgress>
{
    private readonly Stopwatch sinceLine = new();

    /// <summary>The least time between two lines within an epoch or phase. Default 10 seconds.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Writes the report as a line when it closes an epoch or a phase, or when <see cref="Interval"/> has passed since the last line.</summary>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Message is { } message)
        {
            Write(value, $"warning: {message}");
            return;
        }
        if (!value.IsEndOfEpoch && sinceLine.IsRunning && sinceLine.Elapsed < Interval)
        {
            return;
        }
        sinceLine.Restart();
        Write(value, Format(value));
    }

    /// <summary>Writes one line for <paramref name="report"/>.</summary>
    protected abstract void Write(TrainingProgress report, string line);

    /// <summary>
    /// <c>training epoch 3/10, batch 40/63: loss 0.2345 (soft 0.1200, hard 0.1145), 5,310 examples/s, 12 s elapsed, 30 s left</c>,
    /// or <c>caching teacher outputs: 12/63 chunks, 4 s elapsed, 17 s left</c>.
    /// </summary>
    public static string Format(TrainingProgress report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var culture = CultureInfo.InvariantCulture;
        bool finished = report.IsEndOfEpoch && (report.Phase != TrainingPhases.Training || report.Epoch == report.Epochs);
        string time = $"{Duration(report.Elapsed)} elapsed" + (finished ? "" : $", {Duration(report.Remaining)} left");
        if (report.Phase != TrainingPhases.Training)
        {
            return string.Format(culture, "{0}: {1:N0}/{2:N0} chunks, {3}", report.Phase, report.Batch, report.BatchesPerEpoch, time);
        }
        string stage = report.Stage == TrainingStage.Hints ? "hint stage, " : "";
        string terms = report.Terms.Count > 1
            ? " (" + string.Join(", ", report.Terms.Select(t => string.Format(culture, "{0} {1:F4}", t.Name, t.Value))) + ")"
            : "";
        return string.Format(culture, "training {0}epoch {1}/{2}, batch {3}/{4}: loss {5:F4}{6}, {7:N0} examples/s, {8}",
            stage, report.Epoch, report.Epochs, report.Batch, report.BatchesPerEpoch, report.Loss, terms, report.SamplesPerSecond, time);
    }

    private static string Duration(TimeSpan time) => time.TotalSeconds < 60
        ? time.TotalSeconds.ToString(time.TotalSeconds < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) + " s"
        : time.TotalMinutes < 60
            ? $"{(int)time.TotalMinutes} min {time.Seconds:D2} s"
            : $"{(int)time.TotalHours} h {time.Minutes:D2} min";
}
