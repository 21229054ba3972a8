using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// The two terms of the distillation loss, with their constants held as native scalars. A double passed to
/// a TorchSharp operation becomes a native scalar that is made and freed on every call; a training run
/// makes these once and reuses them batch after batch.
/// </summary>
internal sealed class LossTerms : IDisposable
{
    private readonly Scalar inverseTemperature;
    private readonly Scalar hardScale;
    private readonly double alphaTSquared;
    private readonly bool soft;
    private readonly bool hard;
    private readonly Dictionary<long, Scalar> softScales = new(); // see SoftScale

    /// <param name="temperature">T, checked by the caller.</param>
    /// <param name="alpha">Weight of the soft term.</param>
    /// <param name="beta">Weight of the hard term.</param>
    public LossTerms(double temperature, double alpha, double beta)
    {
        inverseTemperature = (1 / temperature).ToScalar();
        hardScale = beta.ToScalar();
        alphaTSquared = alpha * temperature * temperature;
        soft = alpha != 0;
        hard = beta != 0;
    }

    /// <summary><c>log_softmax(teacherLogits / T)</c>: what <see cref="Compute"/> takes from the teacher.</summary>
    public Tensor TeacherLogProbabilities(Tensor teacherLogits) => log_softmax(teacherLogits * inverseTemperature, 1);

    /// <summary>
    /// Per example, the teacher's side of the soft term with its weight folded in: <c>−Alpha · T² · C · softmax(t / T)</c>
    /// for C classes. From these, <see cref="ComputeFromWeighted"/> needs neither the teacher's log-probabilities
    /// nor an exponential per batch, and a plain mean over batch and classes gives the "batchmean".
    /// </summary>
    public Tensor WeightedTeacherProbabilities(Tensor teacherLogits)
    {
        using var scope = NewDisposeScope();
        long classCount = teacherLogits.shape[1];
        return softmax(teacherLogits * inverseTemperature, 1).mul_(-alphaTSquared * classCount).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per example, in double precision on the CPU, <c>Alpha · T² · Σ p_t log p_t</c>: the part of the soft term
    /// that does not depend on the student, which <see cref="ComputeFromWeighted"/> leaves out. Null when
    /// Alpha is 0.
    /// </summary>
    public Tensor? ExampleOffsets(Tensor teacherLogits)
    {
        if (!soft)
        {
            return null;
        }
        using var scope = NewDisposeScope();
        var logProbabilities = log_softmax(teacherLogits.to_type(ScalarType.Float64) * inverseTemperature, 1);
        return logProbabilities.exp().mul_(logProbabilities).sum(1).mul_(alphaTSquared).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>Alpha · T² · KL(p_t ‖ softmax(s / T)) + Beta · CE(s, y)</c> less the mean of the batch's
    /// <see cref="ExampleOffsets"/>, from <see cref="WeightedTeacherProbabilities"/>: the same gradient as
    /// <see cref="Compute"/> with two fewer operations per batch. Intermediate tensors go to the caller's
    /// dispose scope. <paramref name="labels"/> may be null when Beta is 0.
    /// </summary>
    public BatchLoss ComputeFromWeighted(Tensor studentLogits, Tensor weightedTeacherProbabilities, Tensor? labels)
    {
        Tensor? softTerm = null;
        if (soft)
        {
            // −Alpha · T² · Σ p_t log p_s, summed over classes, averaged over the batch (C is in the weights).
            var studentLogProbabilities = log_softmax(studentLogits * inverseTemperature, 1);
            softTerm = weightedTeacherProbabilities.mul(studentLogProbabilities).mean();
        }
        return Combine(softTerm, studentLogits, labels);
    }

    /// <summary>
    /// <c>Alpha · T² · KL(p_t ‖ softmax(s / T)) + Beta · CE(s, y)</c>, from the teacher's log-probabilities at T
    /// (null when Alpha is 0), for a batch of <paramref name="batchSize"/> examples. Intermediate tensors go to
    /// the caller's dispose scope. <paramref name="labels"/> may be null when Beta is 0.
    /// </summary>
    public BatchLoss Compute(Tensor studentLogits, Tensor? teacherLogProbabilities, Tensor? labels, long batchSize)
    {
        Tensor? softTerm = null;
        if (soft)
        {
            // KL(p_t ‖ p_s) = Σ p_t (log p_t − log p_s), both sides as log-probabilities (log_target: true):
            // exact where p_t underflows. Summed, then Alpha · T² / N in one multiplication: "batchmean".
            var studentLogProbabilities = log_softmax(studentLogits * inverseTemperature, 1);
            softTerm = kl_div(studentLogProbabilities, teacherLogProbabilities!, log_target: true, reduction: nn.Reduction.Sum)
                .mul_(SoftScale(batchSize));
        }
        return Combine(softTerm, studentLogits, labels);
    }

    /// <summary>True when the hard-label term has a weight, so a batch needs labels.</summary>
    public bool NeedsLabels => hard;

    private BatchLoss Combine(Tensor? softTerm, Tensor studentLogits, Tensor? labels)
    {
        Tensor? hardTerm = null;
        if (hard)
        {
            if (labels is null)
            {
                throw new InvalidOperationException("The hard-label term needs labels."); // refused before training starts
            }
            hardTerm = cross_entropy(studentLogits, labels).mul_(hardScale);
        }
        var total = (softTerm, hardTerm) switch
        {
            (null, null) => zeros(Array.Empty<long>(), studentLogits.dtype, studentLogits.device),
            (null, _) => hardTerm!,
            (_, null) => softTerm!,
            _ => softTerm!.add(hardTerm!),
        };
        return new BatchLoss(total, softTerm, hardTerm);
    }

    public void Dispose()
    {
        inverseTemperature.Dispose();
        hardScale.Dispose();
        foreach (var scale in softScales.Values)
        {
            scale.Dispose();
        }
    }

    /// <summary>Alpha · T² / N, made once per batch size N: a run has at most two, the full batch and the last.</summary>
    private Scalar SoftScale(long batchSize)
    {
        if (!softScales.TryGetValue(batchSize, out var scale))
        {
            softScales[batchSize] = scale = (alphaTSquared / batchSize).ToScalar();
        }
        return scale;
    }
}
