using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>bn</c>: batch normalization over channels (an image) or features (a vector).</summary>
internal sealed record BatchNormSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "bn";

    public override LayerKind Kind => BatchNorm.Instance;
}

/// <summary>
/// <c>bn</c>: a scale and a shift per channel (or feature), and running statistics (buffers). Directly after a convolution
/// or a hidden fully connected layer it takes over what follows that layer (the activation, and the class's dropout),
/// and the convolution has no bias: conv → bn → activation.
/// </summary>
internal sealed class BatchNorm : LayerKind<BatchNormSpec>
{
    public static readonly BatchNorm Instance = new();

    public override int Order => 50;

    public override string Name => "bn";

    public override string Usage => "bn";

    public override bool TakesActivation => true;

    public override bool RemovesBias => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new BatchNormSpec(arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(BatchNormSpec spec, LayerContext context)
    {
        var input = context.Input;
        string field = context.NextField("bn");
        return LayerResult.Of(new Layer(spec, input, input, field, checked(2 * input.Channels), 0,
            new Operation[] { new BatchNormOperation(field, input.Channels, input.IsImage) }.ToEquatableArray()));
    }
}

/// <summary>Batch norm's module: <c>BatchNorm2d</c> over the channels of an image, <c>BatchNorm1d</c> over a vector.</summary>
internal sealed record BatchNormOperation(string Field, long Features, bool OverImages) : Operation
{
    public override ModuleField Module =>
        new(Field, $"global::TorchSharp.Modules.{Type}", $"global::TorchSharp.torch.nn.{Type}({Features})");

    private string Type => OverImages ? "BatchNorm2d" : "BatchNorm1d";

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() => $"new {Runtime}.BatchNorm(\"{Field}\", {Features})";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
