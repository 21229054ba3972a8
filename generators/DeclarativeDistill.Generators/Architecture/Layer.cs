namespace DeclarativeDistill.Generators.Architecture;

/// <summary>
/// One layer after shape inference: what was declared, the shape of one example before and after it, its
/// trainable parameters and multiply-adds, and how the generated module writes it. Everything a back end
/// (the TorchSharp module today; export, quantization and pruning later) needs, as plain data.
/// </summary>
/// <param name="Spec">The item as declared (an implicit <see cref="FlattenSpec"/> where a fully connected layer reads an image).</param>
/// <param name="Input">The shape of one example entering the layer.</param>
/// <param name="Output">The shape of one example leaving it.</param>
/// <param name="Field">The registered field, which is also the state_dict prefix (<c>conv1</c>, <c>hidden2</c>, <c>output</c>); null for operations without state.</param>
/// <param name="Parameters">Trainable parameters (batch-norm running statistics are buffers, not parameters).</param>
/// <param name="MultiplyAdds">Multiply-accumulates of one example through this layer's convolutions and fully connected layers.</param>
/// <param name="Bias">Whether a convolution or fully connected layer has a bias (a convolution directly followed by bn has none).</param>
/// <param name="Activated">Whether the network's activation follows this layer.</param>
/// <param name="Dropped">Whether the network's class-level dropout follows (after the activation of a hidden fully connected layer).</param>
internal sealed record Layer(
    LayerSpec Spec,
    TensorShape Input,
    TensorShape Output,
    string? Field,
    long Parameters,
    long MultiplyAdds,
    bool Bias,
    bool Activated,
    bool Dropped)
{
    /// <summary>A residual block whose shortcut is a 1×1 convolution and bn, because the channels or the spatial size change.</summary>
    public bool HasProjection => Spec is ResidualSpec residual && (residual.Stride != 1 || Input.Channels != Output.Channels);
}
