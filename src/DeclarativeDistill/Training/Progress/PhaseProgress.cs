using System;
using System.Diagnostics;

namespace DeclarativeDistill;

/// <summary>
/// Reports of a phase that is not training (the teacher-output cache pass, evaluation, fidelity), chunk by chunk: when it
/// ends, every <c>interval</c> chunks when one is given, and for the ready reporters (<see cref="ProgressLines"/>)
/// whenever their interval has passed. Elapsed time counts from <c>clock</c>; the time left is extrapolated.
/// </summary>
internal static class PhaseProgress
{
    /// <summary>What to call after each chunk with (chunks done, chunks in all); null without a receiver.</summary>
    public static Action<int, int>? For(IProgress<TrainingProgress>? progress, string phase, Stopwatch clock, int interval = 0,
        int epochs = 0, TrainingStage stage = TrainingStage.Whole)
    {
        if (progress is null)
        {
            return null;
        }
        var sinceReport = Stopwatch.StartNew();
        return (done, total) =>
        {
            bool due = done == total
                || (interval > 0 && done % interval == 0)
                || (progress is ProgressLines lines && sinceReport.Elapsed >= lines.Interval);
            if (!due)
            {
                return;
            }
            var elapsed = clock.Elapsed;
            var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done));
            double rate = done * (double)RowChunks.Size / Math.Max(elapsed.TotalSeconds, 1e-9);
            progress.Report(new TrainingProgress(0, epochs, done, total, double.NaN, rate, elapsed, remaining) { Phase = phase, Stage = stage });
            sinceReport.Restart();
        };
    }
}
