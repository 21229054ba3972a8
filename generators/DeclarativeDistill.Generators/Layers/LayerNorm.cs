using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>layernorm</c>: layer normalization over each example's values.</summary>
internal sealed record LayerNormSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "layernorm";

    public override LayerKind Kind => LayerNorm.Instance;
}

/// <summary>
/// <c>layernorm</c>: layer normalization (Ba, Kiros and Hinton 2016). Each example is normalized over all its values
/// (a vector's features, or an image's C×H×W values, as PyTorch's <c>nn.LayerNorm([C, H, W])</c>), then scaled and
/// shifted per value: 2 parameters per value, no running statistics, the same in training and evaluation. Like bn,
/// directly after a convolution or a hidden fully connected layer it takes over their activation (and dropout).
/// </summary>
internal sealed class LayerNorm : LayerKind<LayerNormSpec>
{
    public static readonly LayerNorm Instance = new();

    public override int Order => 100;

    public override string Name => "layernorm";

    public override string Usage => "layernorm";

    public override bool TakesActivation => true;

    /// <summary>On a sequence it normalizes each step over its features, as <c>nn.LayerNorm(D)</c> does.</summary>
    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new LayerNormSpec(arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(LayerNormSpec spec, LayerContext context)
    {
        var input = context.Input;
        string field = context.NextField("ln");
        long normalized = input.IsSequence ? input.Channels : input.Size;
        return LayerResult.Of(new Layer(spec, input, input, field, checked(2 * normalized), 0,
            new Operation[] { new LayerNormOperation(field, input) }.ToEquatableArray()));
    }
}

/// <summary>Layer normalization's module: <c>LayerNorm</c> over one example's shape.</summary>
internal sealed record LayerNormOperation(string Field, TensorShape Shape) : Operation
{
    private string Dimensions => Shape.IsImage ? $"{Shape.Channels}, {Shape.Height}, {Shape.Width}" : Literals.Format(Shape.Channels);

    public override ModuleField Module =>
        new(Field, "global::TorchSharp.Modules.LayerNorm", $"global::TorchSharp.torch.nn.LayerNorm(new long[] {{ {Dimensions} }})");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() => $"new {Runtime}.LayerNorm(\"{Field}\", new long[] {{ {Dimensions} }})";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
