using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Architecture;

namespace DeclarativeDistill.Generators.Model;

/// <summary>The nonlinearities the generator knows; values match the runtime's <c>Activation</c> enum.</summary>
internal enum ActivationKind
{
    ReLU = 0,
    Tanh = 1,
    GELU = 2,
    Sigmoid = 3,
}

/// <summary>The role a class plays, for documentation comments and messages.</summary>
internal enum NetworkRole
{
    Teacher,
    Student,
    TeacherAndStudent,
}

/// <summary>
/// A valid network declaration after analysis: its input, its layers with their shapes, and everything the
/// emitter needs to write the module, as plain data.
/// </summary>
/// <remarks>
/// Like every model of this generator it holds only strings, numbers, enums and equatable arrays:
/// never an <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Compilation</c> or <c>Location</c>, which would keep
/// old compilations alive and defeat the incremental cache.
/// </remarks>
internal sealed record NetworkSpec(
    TypeDeclaration Type,
    NetworkRole Role,
    TensorShape Input,
    EquatableArray<Layer> Layers,
    ActivationKind Activation,
    double Dropout,
    int DeclaredOutputs = 0,
    string? OnnxFile = null,
    LocationInfo? OnnxLocation = null)
{
    /// <summary>A classifier in an ONNX file (<c>[Teacher(Onnx = ...)]</c>), whose shapes come from the file.</summary>
    public bool IsOnnx => OnnxFile is not null;

    /// <summary>
    /// A module written by hand and declared by its shapes (<c>[Teacher(Input = ..., Outputs = ...)]</c>): no layers
    /// are generated, and its outputs are <see cref="DeclaredOutputs"/>.
    /// </summary>
    public bool HandWritten => Layers.Count == 0;

    /// <summary>Features per example (C·H·W for an image). Analysis guarantees it fits in an int.</summary>
    public int InputSize => (int)Input.Size;

    /// <summary>The width of the last layer: the number of classes.</summary>
    public int OutputSize => HandWritten ? DeclaredOutputs : (int)Layers[Layers.Count - 1].Output.Channels;

    /// <summary>Trainable parameters of all layers. Analysis guarantees the sum fits in a long.</summary>
    public long ParameterCount => Layers.Sum(l => l.Parameters);

    /// <summary>Multiply-accumulates of one example through the convolutions and fully connected layers.</summary>
    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);

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
    /// The layers with a field, in forward order, with their outputs' shapes and whether those are the output of the
    /// activation: a convolution, fully connected layer or bn is when the activation follows it, a residual block
    /// always is, and pooling, dropout and flattening keep what their input was.
    /// </summary>
    public EquatableArray<FeatureTap> Taps()
    {
        var taps = new List<FeatureTap>();
        bool activated = false;
        foreach (var layer in Layers)
        {
            activated = layer.Spec switch
            {
                ResidualSpec => true,
                ConvSpec or DenseSpec or BatchNormSpec => layer.Activated,
                _ => activated,
            };
            if (layer.Field is { } field)
            {
                taps.Add(new FeatureTap(field, layer.Output, activated ? Activation : null));
            }
        }
        return taps.ToEquatableArray();
    }
}

/// <summary>The outcome of parsing one network declaration: the spec when it is valid, and what was wrong.</summary>
internal sealed record NetworkResult(NetworkSpec? Network, EquatableArray<DiagnosticInfo> Diagnostics);

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
        Input.Size == other.Input.Size && (!Input.IsImage || !other.Input.IsImage || Input == other.Input);
}
