using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// A network whose intermediate outputs can be read by layer name: every network generated from <c>Layers</c>.
/// Hints read the teacher's and the student's through it.
/// </summary>
public interface IFeatureLayers
{
    /// <summary>
    /// The names of the layers with weights (the state_dict prefixes: <c>conv1</c>, <c>bn1</c>, <c>res2</c>,
    /// <c>hidden1</c>, ..., <c>output</c>), in forward order; the last one's output is the logits.
    /// </summary>
    IReadOnlyList<string> FeatureLayers { get; }

    /// <summary>
    /// The outputs of the named layers for a batch (<c>[N, C, H, W]</c> for a feature map, <c>[N, D]</c> for a
    /// vector), in the order asked. Forward runs only as far as the deepest of them. A layer's output is what the
    /// next layer receives: after the activation (and class dropout) that follows it.
    /// </summary>
    /// <exception cref="System.ArgumentException">No layer is named, or a name is not one of <see cref="FeatureLayers"/>.</exception>
    Tensor[] Features(Tensor input, params string[] layers);
}
