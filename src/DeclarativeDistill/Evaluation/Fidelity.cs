namespace DeclarativeDistill;

/// <summary>
/// How closely a student matches its teacher (Stanton et al. 2021, "Does knowledge distillation really work?"),
/// at temperature 1 on some examples: accuracy says how often the student is right, fidelity how often it
/// says what the teacher says. For an ensemble, the teacher is the average of the members' probabilities.
/// </summary>
/// <param name="Agreement">Fraction of examples on which the student's most probable class is the teacher's, 0..1.</param>
/// <param name="KL">Mean over examples of KL(teacher ‖ student) between the predictive distributions, in nats.</param>
/// <param name="Count">Examples compared.</param>
public sealed record Fidelity(double Agreement, double KL, int Count)
{
    /// <inheritdoc/>
    public override string ToString() =>
        System.FormattableString.Invariant($"top-1 agreement {Agreement:P2}, KL(teacher ‖ student) {KL:F4} nats, on {Count} examples");
}
