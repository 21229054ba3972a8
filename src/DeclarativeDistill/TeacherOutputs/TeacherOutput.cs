using System;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// One output of a teacher that a store holds for every example: its logits (<see cref="Layer"/> null) or a named
/// layer's output (for hints and layer methods), with the shape of one example's value.
/// </summary>
/// <param name="Teacher">The teacher's position in the distillation (0 for a single teacher).</param>
/// <param name="Layer">The layer, or null for the logits.</param>
/// <param name="Shape">One example's value: <c>[10]</c> for logits, <c>[16, 8, 8]</c> for a feature map.</param>
public sealed record TeacherOutput(int Teacher, string? Layer, long[] Shape)
{
    /// <summary>float32 values per example.</summary>
    public long Size => Shape.Aggregate(1L, (p, d) => p * d);

    /// <summary><c>teacher 0 logits</c> or <c>teacher 1 layer res2</c>.</summary>
    public string Name => Layer is null ? $"teacher {Teacher} logits" : $"teacher {Teacher} layer {Layer}";

    /// <inheritdoc/>
    public bool Equals(TeacherOutput? other) =>
        other is not null && Teacher == other.Teacher && Layer == other.Layer && Shape.AsSpan().SequenceEqual(other.Shape);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Teacher, Layer, Shape.Length);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
