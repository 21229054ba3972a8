using System;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// How a distillation uses its teachers' combined logits: the loss from logits computed batch by batch, and
/// the loss from a cache made once from the logits of the whole transfer set.
/// </summary>
internal sealed class TeacherSignal
{
    /// <param name="fromLogits">(studentLogits, teacherLogits, batch) → the batch's mean loss.</param>
    /// <param name="cache">
    /// The teachers' logits for every example → what to keep per example, and optionally, per example, the part of
    /// the loss that does not depend on the student and that <paramref name="fromCache"/> leaves out (double, on the CPU).
    /// </param>
    /// <param name="fromCache">(studentLogits, the cached rows of the batch, batch) → the batch's mean loss, less the offsets.</param>
    public TeacherSignal(
        Func<Tensor, Tensor, TrainingLoop.Batch, BatchLoss> fromLogits,
        Func<Tensor, (Tensor Targets, Tensor? Offsets)> cache,
        Func<Tensor, Tensor, TrainingLoop.Batch, BatchLoss> fromCache)
    {
        FromLogits = fromLogits;
        Cache = cache;
        FromCache = fromCache;
    }

    public Func<Tensor, Tensor, TrainingLoop.Batch, BatchLoss> FromLogits { get; }

    public Func<Tensor, (Tensor Targets, Tensor? Offsets)> Cache { get; }

    public Func<Tensor, Tensor, TrainingLoop.Batch, BatchLoss> FromCache { get; }

    /// <summary>A loss of the user's own on the teachers' logits: the cache holds the logits. It needs labels.</summary>
    public static TeacherSignal Logits(Func<Tensor, Tensor, Tensor, Tensor> loss)
    {
        Func<Tensor, Tensor, TrainingLoop.Batch, BatchLoss> onLogits = (student, teacher, batch) => BatchLoss.Opaque(loss(student, teacher, batch.Labels!));
        return new TeacherSignal(onLogits, logits => (logits.alias(), null), onLogits) { NeedsLabels = true };
    }

    /// <summary>
    /// The distillation loss: batch by batch from the teachers' log-probabilities at T; from a cache of their
    /// weighted probabilities, with the student-independent part of the KL divergence added back when reported.
    /// </summary>
    public static TeacherSignal Objective(LossTerms terms) => new(
        (student, teacher, batch) => terms.Compute(student, terms.TeacherLogProbabilities(teacher), batch.Labels, batch.Size),
        logits => (terms.WeightedTeacherProbabilities(logits), terms.ExampleOffsets(logits)),
        (student, weighted, batch) => terms.ComputeFromWeighted(student, weighted, batch.Labels))
    {
        NeedsLabels = terms.NeedsLabels,
    };

    /// <summary>True when a batch's loss reads its labels: then a transfer set without labels is refused.</summary>
    public bool NeedsLabels { get; private init; }
}
