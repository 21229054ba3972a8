using System;
using Microsoft.Extensions.Logging;

namespace DeclarativeDistill;

/// <summary>
/// Logs progress to an <see cref="ILogger"/> (Microsoft.Extensions.Logging, the .NET convention) at the information level,
/// and what the run warns of (<see cref="TrainingProgress.Message"/>) at the warning level:
/// one entry when each epoch and each phase ends, and at most one every <see cref="ProgressLines.Interval"/> in between,
/// with the figures as structured values (<c>Phase</c>, <c>Epoch</c>, <c>Epochs</c>, <c>Batch</c>, <c>Batches</c>,
/// <c>Loss</c>, <c>ExamplesPerSecond</c>, <c>Elapsed</c>, <c>Remaining</c>).
/// </summary>
/// <example><c>student.Distill(teacher, train, new TrainingOptions { Progress = new LoggerProgress(logger) });</c></example>
public sealed class LoggerProgress : ProgressLines
{
    private readonly ILogger logger;

    /// <param name="logger">Where the entries go.</param>
    public LoggerProgress(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
    }

    /// <inheritdoc/>
    protected override void Write(TrainingProgress report, string line)
    {
        if (report.Message is { } message)
        {
            logger.LogWarning("{Message}", message);
            return;
        }
        logger.LogInformation(
            "{Line} [Phase={Phase} Epoch={Epoch} Epochs={Epochs} Batch={Batch} Batches={Batches} Loss={Loss} ExamplesPerSecond={ExamplesPerSecond} Elapsed={Elapsed} Remaining={Remaining}]",
            line, report.Phase, report.Epoch, report.Epochs, report.Batch, report.BatchesPerEpoch, report.Loss, report.SamplesPerSecond, report.Elapsed, report.Remaining);
    }
}
