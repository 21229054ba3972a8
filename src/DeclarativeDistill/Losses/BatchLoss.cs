using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// A batch's mean loss, and the terms it is the sum of as they enter it (weights included): the soft term
/// <c>Alpha · T² · KL</c>, the hard term <c>Beta · CE</c> and one term per hint. A term the objective does not
/// have is null (no hints: <see cref="Hints"/> is null); a loss of the user's own has none.
/// </summary>
internal readonly record struct BatchLoss(Tensor Total, Tensor? Soft, Tensor? Hard, IReadOnlyList<Tensor>? Hints = null)
{
    /// <summary>Cross-entropy on the labels: the whole loss is the hard term.</summary>
    public static BatchLoss HardOnly(Tensor crossEntropy) => new(crossEntropy, null, crossEntropy);

    /// <summary>A loss that is not split into terms.</summary>
    public static BatchLoss Opaque(Tensor total) => new(total, null, null);

    /// <summary>Hint terms alone (FitNets' first stage).</summary>
    public static BatchLoss HintsOnly(IReadOnlyList<Tensor> hints) => new(Sum(null, hints), null, null, hints);

    /// <summary>This loss plus <paramref name="hints"/>, each a term of its own. Intermediate tensors go to the caller's dispose scope.</summary>
    public BatchLoss WithHints(IReadOnlyList<Tensor> hints) => this with { Total = Sum(Total, hints), Hints = hints };

    /// <summary>The terms in a fixed order, soft, hard, then the hints: what the training loop sums term by term.</summary>
    public IEnumerable<Tensor?> Terms()
    {
        yield return Soft;
        yield return Hard;
        foreach (var hint in Hints ?? System.Array.Empty<Tensor>())
        {
            yield return hint;
        }
    }

    private static Tensor Sum(Tensor? first, IReadOnlyList<Tensor> terms)
    {
        var total = first;
        foreach (var term in terms)
        {
            total = total is null ? term : total.add(term);
        }
        return total ?? throw new System.ArgumentException("A loss needs at least one term.", nameof(terms));
    }
}
