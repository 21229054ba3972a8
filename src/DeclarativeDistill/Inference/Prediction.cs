using System;

namespace DeclarativeDistill;

/// <summary>One example's most probable class and the probability of every class (softmax at temperature 1).</summary>
/// <param name="Class">The most probable class.</param>
/// <param name="Probabilities">One probability per class, summing to 1.</param>
public sealed record Prediction(int Class, float[] Probabilities)
{
    /// <summary>The probability of <see cref="Class"/>.</summary>
    public float Confidence => Probabilities[Class];

    /// <summary>The name of <see cref="Class"/> when the network names its classes (<c>ClassNames</c>); null otherwise.</summary>
    public string? ClassName { get; init; }

    /// <inheritdoc/>
    public override string ToString() => ClassName is null
        ? FormattableString.Invariant($"class {Class} ({Confidence:P1})")
        : FormattableString.Invariant($"{ClassName} (class {Class}, {Confidence:P1})");
}
