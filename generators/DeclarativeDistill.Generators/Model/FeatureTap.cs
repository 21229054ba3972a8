namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// A layer whose output a hint can name: its field name (the generated <c>FeatureLayers</c> entry), the shape of
/// one example of its output, and the activation that output has been through last (null when the layer's
/// output is not the output of a nonlinearity: a convolution followed by bn, a bn after a residual block).
/// </summary>
internal sealed record FeatureTap(string Name, TensorShape Shape, RuntimeContract.Activation? EndsWith);
