using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// One layer after shape inference: what was declared, the shape of one example before and after it, its trainable
/// parameters and multiply-adds, and the operations it lowered to, in order. Everything a back end (the TorchSharp
/// module, the network's description) needs, as plain data.
/// </summary>
/// <param name="Spec">The item as declared (an implicit <see cref="FlattenSpec"/> where a fully connected layer reads an image).</param>
/// <param name="Input">The shape of one example entering the layer.</param>
/// <param name="Output">The shape of one example leaving it: after all of <paramref name="Operations"/>.</param>
/// <param name="Field">
/// The name its output goes by (<c>conv1</c>, <c>hidden2</c>, <c>output</c>): the field of its module, which is also the
/// state_dict prefix, and the layer's name in <c>FeatureLayers</c>; null for operations without state.
/// </param>
/// <param name="Parameters">Trainable parameters (batch-norm running statistics are buffers, not parameters).</param>
/// <param name="MultiplyAdds">Multiply-accumulates of one example through its convolutions and fully connected layers.</param>
/// <param name="Operations">What it does, in order: its own operation, then any activation or dropout that follows it.</param>
internal sealed record Layer(
    LayerSpec Spec,
    TensorShape Input,
    TensorShape Output,
    string? Field,
    long Parameters,
    long MultiplyAdds,
    EquatableArray<Operation> Operations);
