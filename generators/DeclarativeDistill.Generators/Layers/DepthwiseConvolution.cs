using DeclarativeDistill.Generators.Grammar;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// <c>dwconv(K)</c>: a depthwise convolution, one K×K filter per input channel (groups = channels), as MobileNet's
/// separable convolutions pair with a 1×1 <c>conv</c>. Its shape rule is the convolution's.
/// </summary>
internal sealed class DepthwiseConvolution : LayerKind<ConvSpec>
{
    public static readonly DepthwiseConvolution Instance = new();

    public override int Order => 20;

    public override string Name => "dwconv";

    public override string Usage => "dwconv(K)";

    public override Signature Signature { get; } =
        new("dwconv(3) or dwconv(3, stride: 2, pad: 1)", new[] { "kernel" }, new[] { "stride", "pad" });

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers("pad");
        if (problem is null)
        {
            spec = new ConvSpec(0, arguments.Number("kernel"), arguments.Number("stride", 1), arguments.Number("pad"),
                Depthwise: true, arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(ConvSpec spec, LayerContext context) => Convolution.Analyse(spec, context, "dwconv");
}
