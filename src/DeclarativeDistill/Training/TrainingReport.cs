using System;
using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>One epoch of a training run.</summary>
/// <param name="Epoch">From 1.</param>
/// <param name="Loss">Mean training loss over the epoch's examples.</param>
/// <param name="Duration">Wall-clock time of the epoch.</param>
/// <param name="SamplesPerSecond">Training examples per second.</param>
public sealed record EpochReport(int Epoch, double Loss, TimeSpan Duration, double SamplesPerSecond)
{
    /// <summary>
    /// The mean soft (teacher) term as it enters <see cref="Loss"/>, <c>Alpha · T² · KL</c>; null when the loss
    /// has none (<c>Fit</c>, Alpha = 0, or a loss of your own).
    /// </summary>
    public double? SoftTerm { get; init; }

    /// <summary>
    /// The mean hard (label) term as it enters <see cref="Loss"/>, <c>Beta · CE</c> (in <c>Fit</c>, the whole
    /// cross-entropy); null when the loss has none (Beta = 0, or a loss of your own).
    /// </summary>
    public double? HardTerm { get; init; }

    /// <summary>
    /// The mean of each hint term as it enters <see cref="Loss"/>, <c>Weight · MSE</c>, in the order of the objective's
    /// hints; null when the loss has no hints.
    /// </summary>
    public IReadOnlyList<double>? HintTerms { get; init; }
}

/// <summary>What a <c>Fit</c> or <c>Distill</c> run did.</summary>
public sealed class TrainingReport
{
    internal TrainingReport(IReadOnlyList<EpochReport> epochs, TimeSpan preparationTime, TimeSpan totalTime, int resumedAfterEpoch)
    {
        Epochs = epochs;
        PreparationTime = preparationTime;
        TotalTime = totalTime;
        ResumedAfterEpoch = resumedAfterEpoch;
    }

    /// <summary>The epoch of the checkpoint this run resumed from; 0 when it started fresh.</summary>
    public int ResumedAfterEpoch { get; }

    /// <summary>Per-epoch loss and time.</summary>
    public IReadOnlyList<EpochReport> Epochs { get; }

    /// <summary>Time before the first epoch (in <c>Distill</c>, computing the cached teacher outputs).</summary>
    public TimeSpan PreparationTime { get; }

    /// <summary>Wall-clock time of this call (not of epochs restored from a checkpoint), including a <see cref="HintStage"/>.</summary>
    public TimeSpan TotalTime { get; }

    /// <summary>
    /// FitNets' first stage, which trained the student up to its guided layers on the hint terms before these
    /// <see cref="Epochs"/> of distillation; null when there was none.
    /// </summary>
    public TrainingReport? HintStage { get; init; }

    /// <summary>This report with <paramref name="hintStage"/> as the stage before it.</summary>
    internal TrainingReport WithHintStage(TrainingReport hintStage) =>
        new(Epochs, PreparationTime, TotalTime + hintStage.TotalTime, ResumedAfterEpoch) { HintStage = hintStage };

    /// <summary>The last epoch's mean loss (NaN when no epoch ran).</summary>
    public double FinalLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].Loss;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Epochs.Count} epochs in {TotalTime.TotalSeconds:F1} s, final loss {FinalLoss:G4}";
}
