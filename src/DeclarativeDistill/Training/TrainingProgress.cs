using System;
using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>
/// A progress report from <c>Fit</c> or <c>Distill</c>: of training (<see cref="Phase"/> <c>training</c>: epochs and
/// batches), or of a phase before it (<c>caching teacher outputs</c>: <see cref="Batch"/> chunks of
/// <see cref="BatchesPerEpoch"/> done, <see cref="Epoch"/> 0, no loss).
/// </summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The number of epochs of the run.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="BatchesPerEpoch">Batches in one epoch.</param>
/// <param name="Loss">Mean training loss over this epoch's batches so far.</param>
/// <param name="SamplesPerSecond">Throughput of this epoch so far.</param>
/// <param name="Elapsed">Time since the call started, its preparation (the teacher-output cache pass) included.</param>
/// <param name="Remaining">Estimated time to the end of the training (during a phase before it: to the end of that phase).</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int BatchesPerEpoch,
    double Loss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining)
{
    /// <summary>Every term of the loss with its mean over this epoch so far, as it enters <see cref="Loss"/>; they add up to it.</summary>
    public IReadOnlyList<TermValue> Terms { get; init; } = Array.Empty<TermValue>();

    /// <summary>The mean of the term called <paramref name="name"/> this epoch so far, or null when the loss has no such term.</summary>
    public double? Term(string name) => TermValues.Find(Terms, name);

    /// <summary>Mean soft term <c>Alpha · T² · KL</c> of this epoch so far, as it enters <see cref="Loss"/>; null when the loss has none.</summary>
    public double? SoftTerm => Term("soft");

    /// <summary>Mean hard term <c>Beta · CE</c> of this epoch so far (in <c>Fit</c>, the cross-entropy); null when the loss has none.</summary>
    public double? HardTerm => Term("hard");

    /// <summary>Mean of each hint term <c>Weight · MSE</c> of this epoch so far, as it enters <see cref="Loss"/>; null when the loss has no hints.</summary>
    public IReadOnlyList<double>? HintTerms => TermValues.Hints(Terms);

    /// <summary>The stage this report belongs to: <see cref="TrainingStage.Hints"/> during FitNets' first stage.</summary>
    public TrainingStage Stage { get; init; }

    /// <summary>A warning about the run (features far from unit scale), in a report of its own; null in every other report.</summary>
    public string? Message { get; init; }

    /// <summary>What the call is doing: <see cref="TrainingPhases.Training"/>, or <see cref="TrainingPhases.CachingTeacherOutputs"/> before it.</summary>
    public string Phase { get; init; } = TrainingPhases.Training;

    /// <summary>True for the report that closes an epoch (or, before training, the phase).</summary>
    public bool IsEndOfEpoch => Batch == BatchesPerEpoch;

    /// <summary>Fraction of the run done (of the phase, before training), 0..1.</summary>
    public double Fraction => Phase != TrainingPhases.Training
        ? (double)Batch / Math.Max(1, BatchesPerEpoch)
        : Epochs == 0 ? 1 : ((Epoch - 1) + (double)Batch / BatchesPerEpoch) / Epochs;
}

/// <summary>The phases <see cref="TrainingProgress"/> names.</summary>
public static class TrainingPhases
{
    /// <summary>Epochs of training.</summary>
    public const string Training = "training";

    /// <summary>The pass that computes the teachers' outputs for the whole transfer set once, before the epochs.</summary>
    public const string CachingTeacherOutputs = "caching teacher outputs";

    /// <summary><c>Evaluate</c>'s pass over the test set.</summary>
    public const string Evaluation = "evaluation";

    /// <summary><c>MeasureFidelity</c>'s passes of the student and its teachers over the data.</summary>
    public const string Fidelity = "fidelity";

    /// <summary>A look at the training data before the epochs; its report carries a <see cref="TrainingProgress.Message"/>.</summary>
    public const string CheckingData = "checking data";
}
