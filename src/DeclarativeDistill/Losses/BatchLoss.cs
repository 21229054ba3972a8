using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// A batch's mean loss, and the terms it is the sum of as they enter it (weights included): the soft term
/// <c>Alpha · T² · KL</c> and the hard term <c>Beta · CE</c>. A term the objective does not have is null; a
/// loss of the user's own has neither.
/// </summary>
internal readonly record struct BatchLoss(Tensor Total, Tensor? Soft, Tensor? Hard)
{
    /// <summary>Cross-entropy on the labels: the whole loss is the hard term.</summary>
    public static BatchLoss HardOnly(Tensor crossEntropy) => new(crossEntropy, null, crossEntropy);

    /// <summary>A loss that is not split into terms.</summary>
    public static BatchLoss Opaque(Tensor total) => new(total, null, null);
}
