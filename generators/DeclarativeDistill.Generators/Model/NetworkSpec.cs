using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Operations;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// A valid network after analysis: where it comes from, its input and output, and for a generated one its layers
/// with their shapes and operations; everything the emitters need, as plain data.
/// </summary>
/// <remarks>
/// Like every model of this generator it holds only strings, numbers, enums and equatable arrays:
/// never an <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Compilation</c> or <c>Location</c>, which would keep
/// old compilations alive and defeat the incremental cache.
/// </remarks>
internal sealed record NetworkSpec
{
    public required TypeDeclaration Type { get; init; }

    public required NetworkRole Role { get; init; }

    public required NetworkSource Source { get; init; }

    /// <summary>The shape of one example.</summary>
    public required TensorShape Input { get; init; }

    /// <summary>The number of classes: the width of the last layer, or as declared or read from the ONNX file.</summary>
    public required int OutputSize { get; init; }

    /// <summary>The analysed layers of a generated network; empty otherwise.</summary>
    public EquatableArray<Layer> Layers { get; init; }

    /// <summary>The network's activation (generated networks).</summary>
    public Activation Activation { get; init; }

    /// <summary>The class-level dropout after every hidden fully connected layer (generated networks).</summary>
    public double Dropout { get; init; }

    /// <summary>The model's file, as declared (ONNX teachers).</summary>
    public string? OnnxFile { get; init; }

    /// <summary>Where <c>Onnx</c> was written, for what the build found wrong with the file.</summary>
    public LocationInfo? OnnxLocation { get; init; }

    /// <summary>A classifier in an ONNX file (<c>[Teacher(Onnx = ...)]</c>), whose shapes come from the file.</summary>
    public bool IsOnnx => Source == NetworkSource.Onnx;

    /// <summary>A module the generator does not write (hand-written, or run from an ONNX file): it has no layers here.</summary>
    public bool HandWritten => Source != NetworkSource.Generated;

    /// <summary>Features per example (C·H·W for an image). Analysis guarantees it fits in an int.</summary>
    public int InputSize => (int)Input.Size;

    /// <summary>Trainable parameters of all layers. Analysis guarantees the sum fits in a long.</summary>
    public long ParameterCount => Layers.Sum(l => l.Parameters);

    /// <summary>Multiply-accumulates of one example through the convolutions and fully connected layers.</summary>
    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);

    /// <summary>Whether any hidden layer is followed by the class-level dropout.</summary>
    public bool HasClassDropout => Layers.Any(l => l.Operations.Any(o => o is ClassDropoutOperation));

    /// <summary>Whether the network is a vector input followed by fully connected layers only (a v1 list).</summary>
    public bool IsFullyConnected => !Input.IsImage && Layers.All(l => l.Spec is DenseSpec);

    /// <summary>
    /// <c>784-800-800-10</c> for a fully connected network; otherwise the items in their normal form,
    /// e.g. <c>1x28x28, conv(32, 3), maxpool(2), 128, 10</c>.
    /// </summary>
    public string Architecture => IsFullyConnected
        ? Input + "-" + string.Join("-", Layers.Select(l => l.Spec.Text))
        : Input + ", " + string.Join(", ", Layers.Where(l => l.Spec is not FlattenSpec { Implicit: true }).Select(l => l.Spec.Text));

    /// <summary>What a distillation needs to know of this network.</summary>
    public NetworkSummary Summary() =>
        new(Type.Namespace, Type.FullyQualifiedName, Type.DisplayName, Role != NetworkRole.Student, Input, OutputSize, ParameterCount, MultiplyAdds,
            HandWritten, Taps());

    /// <summary>
    /// The layers with a field, in forward order, with their outputs' shapes and the activation those outputs have been
    /// through last (each operation says what it does to that: an activation sets it, a linear map clears it, pooling,
    /// dropout and flattening keep it).
    /// </summary>
    public EquatableArray<FeatureTap> Taps()
    {
        var taps = new List<FeatureTap>();
        Activation? activated = null;
        foreach (var layer in Layers)
        {
            foreach (var operation in layer.Operations)
            {
                activated = operation.After(activated);
            }
            if (layer.Field is { } field)
            {
                taps.Add(new FeatureTap(field, layer.Output, activated));
            }
        }
        return taps.ToEquatableArray();
    }
}

/// <summary>
/// The outcome of analysing one network declaration: the spec when it is valid, and what was wrong; when it is not
/// valid, what stands in for its generated members.
/// </summary>
internal sealed record NetworkResult(NetworkSpec? Network, EquatableArray<DiagnosticInfo> Diagnostics, NetworkPlaceholder? Placeholder = null);

/// <summary>What a distillation needs to know of a network: enough to check shapes and to name its type.</summary>
/// <remarks>A hand-written teacher's parameters and multiply-adds are unknown at compile time (0 here).</remarks>
internal sealed record NetworkSummary(
    string Namespace, string FullyQualifiedName, string DisplayName, bool IsTeacher, TensorShape Input, int OutputSize, long ParameterCount,
    long MultiplyAdds, bool HandWritten = false, EquatableArray<FeatureTap> Taps = default)
{
    /// <summary>The layer called <paramref name="name"/> (see <see cref="FeatureTap"/>), or null.</summary>
    public FeatureTap? Tap(string name) => Taps.FirstOrDefault(t => t.Name == name);

    /// <summary>Features per example.</summary>
    public long InputSize => Input.Size;

    /// <summary>
    /// Whether this network and <paramref name="other"/> read the same examples: the same number of features and,
    /// when both take images, the same channels, height and width (a vector network reads an image flattened).
    /// </summary>
    public bool ReadsTheSameInputAs(NetworkSummary other) =>
        Input.Size == other.Input.Size && (!Input.IsImage || !other.Input.IsImage || Input == other.Input)
        && (!Input.IsTokens && !other.Input.IsTokens || Input == other.Input); // token ids: the same vocabulary and length
}
