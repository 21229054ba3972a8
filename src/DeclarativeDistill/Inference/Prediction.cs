using System;

namespace DeclarativeDistill;

/// <summary>One example's most probable class and the probability of every class (softmax at temperature 1).</summary>
/// <param name="Class">The most probable class.</param>
/// <param name="Probabilities">One probability per class, summing to 1.</param>
public sealed record Prediction(int Class, float[] Probabilities)
{
    /// <summary>The probability of <see cref="Class"/>.</summary>
    public float Confidence => Probabilities[Class];

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"class {Class} ({Confidence:P1})");
}
