using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// What a distillation minimises: <see cref="KnowledgeDistillation.Loss"/> with a temperature and the weights
/// of its soft (teacher) and hard (label) terms. Generated students pass their declared constants. Knowing
/// them, rather than an opaque loss delegate, lets the trainer cache the teachers' probabilities at the
/// temperature, already weighted, instead of their logits, which takes the teacher's half of the loss out of
/// every batch.
/// </summary>
public sealed record DistillationObjective
{
    /// <param name="temperature">T &gt; 0, finite.</param>
    /// <param name="alpha">Weight of the soft term, finite and ≥ 0.</param>
    /// <param name="beta">Weight of the hard term, finite and ≥ 0.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">A constant is out of range.</exception>
    public DistillationObjective(double temperature, double alpha, double beta)
    {
        KnowledgeDistillation.CheckConstants(temperature, alpha, beta);
        Temperature = temperature;
        Alpha = alpha;
        Beta = beta;
    }

    /// <summary>The softmax temperature T of the soft term.</summary>
    public double Temperature { get; }

    /// <summary>Weight of the soft (teacher) term.</summary>
    public double Alpha { get; }

    /// <summary>Weight of the hard (label) term.</summary>
    public double Beta { get; }

    /// <summary><see cref="KnowledgeDistillation.Loss"/> with this objective's constants.</summary>
    public Tensor Loss(Tensor studentLogits, Tensor teacherLogits, Tensor labels) =>
        KnowledgeDistillation.Loss(studentLogits, teacherLogits, labels, Temperature, Alpha, Beta);

    /// <summary>The loss's terms with these constants, to reuse batch after batch.</summary>
    internal LossTerms Terms() => new(Temperature, Alpha, Beta);
}
