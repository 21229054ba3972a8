using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// The distillation loss of Hinton, Vinyals and Dean (2015), and the combination of several teachers.
/// Generated students bind their declared T, Alpha and Beta to <see cref="Loss"/>.
/// </summary>
public static class KnowledgeDistillation
{
    /// <summary>
    /// <c>Alpha * T² * KL(softmax(t/T) ‖ softmax(s/T)) + Beta * CE(s, y)</c>, the KL divergence summed over
    /// classes and averaged over the batch (PyTorch's "batchmean"), the cross-entropy at temperature 1.
    /// The teacher's logits are treated as constants: no gradient flows into the teacher.
    /// </summary>
    /// <param name="studentLogits">[N, C], the student's raw outputs.</param>
    /// <param name="teacherLogits">[N, C], the teacher's raw outputs (or <see cref="EnsembleLogits"/>).</param>
    /// <param name="labels">[N] int64 class indices.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="alpha">Weight of the soft term (≥ 0).</param>
    /// <param name="beta">Weight of the hard term (≥ 0).</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor Loss(Tensor studentLogits, Tensor teacherLogits, Tensor labels, double temperature, double alpha, double beta)
    {
        CheckConstants(temperature, alpha, beta);
        // Shapes are read once: each read is a call into the native library, and this runs every batch.
        long[] studentShape = studentLogits.shape, teacherShape = teacherLogits.shape, labelShape = labels.shape;
        if (studentShape.Length != 2 || !studentShape.AsSpan().SequenceEqual(teacherShape))
        {
            throw new ArgumentException(
                $"Student and teacher logits must both be [N, C] of the same shape; got [{string.Join(", ", studentShape)}] and [{string.Join(", ", teacherShape)}].");
        }
        if (labelShape.Length != 1 || labelShape[0] != studentShape[0])
        {
            throw new ArgumentException($"Labels must be [{studentShape[0]}]; got [{string.Join(", ", labelShape)}].", nameof(labels));
        }

        using var scope = NewDisposeScope();
        var loss = zeros(Array.Empty<long>(), studentLogits.dtype, studentLogits.device);
        if (alpha != 0)
        {
            // KL(p_t ‖ p_s) = Σ p_t (log p_t − log p_s), both sides as log-probabilities (log_target: true): exact where
            // p_t underflows. Summed, then Alpha · T² / N in one multiplication: "batchmean".
            var teacher = log_softmax(teacherLogits.detach() / temperature, 1);
            var student = log_softmax(studentLogits / temperature, 1);
            loss = kl_div(student, teacher, log_target: true, reduction: nn.Reduction.Sum).mul(alpha * temperature * temperature / studentShape[0]);
        }
        if (beta != 0)
        {
            loss = loss.add(cross_entropy(studentLogits, labels).mul(beta));
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Combines an ensemble: the logits whose temperature-T softmax is the average of the teachers'
    /// temperature-T softmaxes, i.e. <c>T · log(mean_k softmax(t_k / T))</c>. One teacher's logits come
    /// back as they are (as a new tensor).
    /// </summary>
    public static Tensor EnsembleLogits(IReadOnlyList<Tensor> teacherLogits, double temperature)
    {
        CheckTemperature(temperature);
        if (teacherLogits.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one teacher.", nameof(teacherLogits));
        }
        if (teacherLogits.Count == 1)
        {
            return teacherLogits[0].alias();
        }

        using var scope = NewDisposeScope();
        var logProbabilities = new Tensor[teacherLogits.Count];
        for (int k = 0; k < teacherLogits.Count; k++)
        {
            logProbabilities[k] = log_softmax(teacherLogits[k] / temperature, 1);
        }
        // log mean_k p_k = logsumexp_k(log p_k) − log K: stable where the probabilities are tiny.
        var averaged = stack(logProbabilities).logsumexp(0) - Math.Log(teacherLogits.Count);
        return (averaged * temperature).MoveToOuterDisposeScope();
    }

    /// <summary>Throws unless T is positive and finite, and Alpha and Beta are finite and non-negative.</summary>
    internal static void CheckConstants(double temperature, double alpha, double beta)
    {
        CheckTemperature(temperature);
        if (!(alpha >= 0) || double.IsInfinity(alpha) || !(beta >= 0) || double.IsInfinity(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Alpha and Beta must be finite and non-negative; got Alpha = {alpha}, Beta = {beta}.");
        }
    }

    internal static void CheckTemperature(double temperature)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), $"The temperature must be positive and finite; got {temperature}.");
        }
    }
}
