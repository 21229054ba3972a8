using System;
using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>A term of the loss, by name, and its mean over an epoch (or over an epoch so far) as it enters the loss, weight included.</summary>
/// <param name="Name">The term's <see cref="DistillationTerm.Name"/>: <c>soft</c>, <c>hard</c>, <c>dkd</c>, <c>hint(res2, conv4)</c>, ...</param>
/// <param name="Value">Its mean over the examples.</param>
public sealed record TermValue(string Name, double Value);

/// <summary>One epoch of a training run.</summary>
/// <param name="Epoch">From 1.</param>
/// <param name="Loss">Mean training loss over the epoch's examples.</param>
/// <param name="Duration">Wall-clock time of the epoch.</param>
/// <param name="SamplesPerSecond">Training examples per second.</param>
public sealed record EpochReport(int Epoch, double Loss, TimeSpan Duration, double SamplesPerSecond)
{
    /// <summary>
    /// Every term of the loss with its mean over the epoch as it enters <see cref="Loss"/> (weights included), in the
    /// objective's order; they add up to <see cref="Loss"/>. Empty for a loss of your own that is not split into terms.
    /// </summary>
    public IReadOnlyList<TermValue> Terms { get; init; } = Array.Empty<TermValue>();

    /// <summary>The mean of the term called <paramref name="name"/>, or null when the loss has no such term.</summary>
    public double? Term(string name) => TermValues.Find(Terms, name);

    /// <summary>
    /// The mean soft (teacher) term as it enters <see cref="Loss"/>, <c>Alpha · T² · KL</c>; null when the loss
    /// has none (<c>Fit</c>, Alpha = 0, or a loss of your own).
    /// </summary>
    public double? SoftTerm => Term("soft");

    /// <summary>
    /// The mean hard (label) term as it enters <see cref="Loss"/>, <c>Beta · CE</c> (in <c>Fit</c>, the whole
    /// cross-entropy); null when the loss has none (Beta = 0, or a loss of your own).
    /// </summary>
    public double? HardTerm => Term("hard");

    /// <summary>
    /// The mean of each hint term as it enters <see cref="Loss"/>, <c>Weight · MSE</c>, in the order of the objective's
    /// hints; null when the loss has no hints.
    /// </summary>
    public IReadOnlyList<double>? HintTerms => TermValues.Hints(Terms);
}

/// <summary>Reading terms by name, for <see cref="EpochReport"/> and <see cref="TrainingProgress"/>.</summary>
internal static class TermValues
{
    public static double? Find(IReadOnlyList<TermValue> terms, string name)
    {
        foreach (var term in terms)
        {
            if (term.Name == name)
            {
                return term.Value;
            }
        }
        return null;
    }

    public static IReadOnlyList<double>? Hints(IReadOnlyList<TermValue> terms)
    {
        var hints = new List<double>();
        foreach (var term in terms)
        {
            if (term.Name.StartsWith("hint(", StringComparison.Ordinal))
            {
                hints.Add(term.Value);
            }
        }
        return hints.Count == 0 ? null : hints;
    }
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

    /// <summary>What the run noticed and you may want to change (features far from unit scale); empty when nothing.</summary>
    public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();

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
        new(Epochs, PreparationTime, TotalTime + hintStage.TotalTime, ResumedAfterEpoch) { HintStage = hintStage, Warnings = hintStage.Warnings };

    /// <summary>The last epoch's mean loss (NaN when no epoch ran).</summary>
    public double FinalLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].Loss;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Epochs.Count} epochs in {TotalTime.TotalSeconds:F1} s, final loss {FinalLoss:G4}";
}
