using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// A batch's mean loss, and the terms it is the sum of as they enter it (weights included), in the order of the stage's
/// terms. A term that is the whole loss (one term alone) is the same tensor as <see cref="Total"/>.
/// </summary>
internal readonly record struct BatchLoss(Tensor Total, IReadOnlyList<Tensor> Terms);
