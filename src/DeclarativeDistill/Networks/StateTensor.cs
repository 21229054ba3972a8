using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>
/// One tensor of a network's state_dict as its description names it: the key (<c>conv1.weight</c>,
/// <c>bn1.running_mean</c>), the shape, and whether it is a trainable parameter or a buffer (batch-norm statistics).
/// </summary>
public sealed record StateTensor(string Key, IReadOnlyList<long> Shape, bool Trainable = true)
{
    /// <summary>Elements: the product of the shape (1 for a scalar).</summary>
    public long Elements
    {
        get
        {
            long elements = 1;
            foreach (long size in Shape)
            {
                elements *= size;
            }
            return elements;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Key} [{string.Join(", ", Shape)}]{(Trainable ? "" : " (buffer)")}";
}
