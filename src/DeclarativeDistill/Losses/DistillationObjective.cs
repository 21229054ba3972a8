using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// What a distillation minimises: <see cref="KnowledgeDistillation.Loss"/> with a temperature and the weights
/// of its soft (teacher) and hard (label) terms. A generated student's <c>Objective</c> holds its declared
/// constants; a sweep changes them at run time with <c>with</c>, e.g.
/// <c>student.Distill(teacher, data, objective: MyStudent.Objective with { Temperature = 8 })</c>. Knowing the
/// constants, rather than an opaque loss delegate, lets the trainer cache the teachers' probabilities at the
/// temperature, already weighted, instead of their logits, which takes the teacher's half of the loss out of
/// every batch.
/// </summary>
public sealed record DistillationObjective
{
    private readonly double temperature;
    private readonly double alpha;
    private readonly double beta;

    /// <param name="temperature">T &gt; 0, finite.</param>
    /// <param name="alpha">Weight of the soft term, finite and ≥ 0.</param>
    /// <param name="beta">Weight of the hard term, finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A constant is out of range.</exception>
    public DistillationObjective(double temperature, double alpha, double beta)
    {
        Temperature = temperature;
        Alpha = alpha;
        Beta = beta;
    }

    /// <summary>The softmax temperature T of the soft term: positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Temperature
    {
        get => temperature;
        init
        {
            KnowledgeDistillation.CheckTemperature(value);
            temperature = value;
        }
    }

    /// <summary>Weight of the soft (teacher) term: finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Alpha
    {
        get => alpha;
        init => alpha = CheckWeight(value, nameof(Alpha));
    }

    /// <summary>Weight of the hard (label) term: finite and ≥ 0. A transfer set without labels needs 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Beta
    {
        get => beta;
        init => beta = CheckWeight(value, nameof(Beta));
    }

    /// <summary><see cref="KnowledgeDistillation.Loss"/> with this objective's constants.</summary>
    public Tensor Loss(Tensor studentLogits, Tensor teacherLogits, Tensor labels) =>
        KnowledgeDistillation.Loss(studentLogits, teacherLogits, labels, Temperature, Alpha, Beta);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"T = {Temperature:G6}, Alpha = {Alpha:G6}, Beta = {Beta:G6}");

    /// <summary>The loss's terms with these constants, to reuse batch after batch.</summary>
    internal LossTerms Terms() => new(Temperature, Alpha, Beta);

    private static double CheckWeight(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be finite and non-negative; got {value}.");
        }
        return value;
    }
}
