using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// <c>conv(C, K, stride: S, pad: P)</c>, or with <see cref="Depthwise"/> <c>dwconv(K, stride: S, pad: P)</c>: a
/// depthwise convolution (one K×K filter per channel, as in MobileNet), whose channels are its input's.
/// </summary>
internal sealed record ConvSpec(long Channels, long Kernel, long Stride, long Pad, bool Depthwise, int Start, int Length)
    : LayerSpec(Start, Length)
{
    public override string Text =>
        (Depthwise ? "dwconv(" + Literal(Kernel) : "conv(" + Literal(Channels) + ", " + Literal(Kernel))
        + (Stride != 1 ? ", stride: " + Literal(Stride) : "")
        + (Pad != 0 ? ", pad: " + Literal(Pad) : "")
        + ")";

    public override LayerKind Kind => Depthwise ? DepthwiseConvolution.Instance : Convolution.Instance;
}

/// <summary>
/// <c>conv(C, K)</c>: a 2-D convolution to C channels with a K×K kernel; out = ⌊(in + 2·pad − K) / stride⌋ + 1 in each
/// dimension. The network's activation follows it (after a bn directly after it, which also removes its bias).
/// </summary>
internal sealed class Convolution : LayerKind<ConvSpec>
{
    public static readonly Convolution Instance = new();

    public override int Order => 10;

    public override string Name => "conv";

    public override string Usage => "conv(C, K)";

    public override Signature Signature { get; } =
        new("conv(32, 3) or conv(64, 3, stride: 2, pad: 1)", new[] { "channels", "kernel" }, new[] { "stride", "pad" });

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers("pad");
        if (problem is null)
        {
            spec = new ConvSpec(arguments.Number("channels"), arguments.Number("kernel"), arguments.Number("stride", 1), arguments.Number("pad"),
                Depthwise: false, arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(ConvSpec spec, LayerContext context) => Analyse(spec, context, "conv");

    /// <summary>The rule of both convolutions; a depthwise one keeps its input's channels (groups = channels).</summary>
    internal static LayerResult Analyse(ConvSpec spec, LayerContext context, string prefix)
    {
        var input = context.Input;
        if (Shapes.NeedsImage(spec, input) is { } notAnImage)
        {
            return notAnImage;
        }
        long padded = System.Math.Min(input.Height, input.Width) + 2 * spec.Pad;
        if (padded < spec.Kernel)
        {
            string padding = spec.Pad == 0 ? "" : $" with pad {spec.Pad}";
            return new ShapeProblem(Diagnostics.DiagnosticDescriptors.LayerDoesNotFit, spec.Start, spec.Length,
                $"{spec.Text} needs at least {spec.Kernel}x{spec.Kernel}{padding} but the input here is {input}");
        }
        long channels = spec.Depthwise ? input.Channels : spec.Channels;
        long inputsPerOutput = spec.Depthwise ? 1 : input.Channels;
        var output = TensorShape.Image(channels,
            (input.Height + 2 * spec.Pad - spec.Kernel) / spec.Stride + 1,
            (input.Width + 2 * spec.Pad - spec.Kernel) / spec.Stride + 1);
        long weights = checked(channels * inputsPerOutput * spec.Kernel * spec.Kernel);
        long multiplyAdds = checked(weights * output.Height * output.Width);
        bool bias = context.Next?.Kind.RemovesBias != true;
        string field = context.NextField(prefix);
        var operation = new Conv2dOperation(field, input.Channels, channels, spec.Kernel, spec.Stride, spec.Pad, spec.Depthwise, bias);
        var layer = new Layer(spec, input, output, field, checked(weights + (bias ? channels : 0)), multiplyAdds,
            new Operation[] { operation }.ToEquatableArray());
        return LayerResult.Of(layer, new ActivationOperation(context.Activation));
    }
}

/// <summary>A 2-D convolution's module (also a residual block's convolutions, in the network's description).</summary>
/// <remarks>A depthwise convolution has one group per input channel.</remarks>
internal sealed record Conv2dOperation(string Field, long InputChannels, long OutputChannels, long Kernel, long Stride, long Padding, bool Depthwise, bool Bias)
    : Operation
{
    public long Groups => Depthwise ? InputChannels : 1;

    public override ModuleField Module =>
        new(Field, "global::TorchSharp.Modules.Conv2d",
            $"global::TorchSharp.torch.nn.Conv2d({InputChannels}, {OutputChannels}, {Kernel}"
            + (Stride != 1 ? $", stride: {Stride}" : "")
            + (Padding != 0 ? $", padding: {Padding}" : "")
            + (Depthwise ? $", groups: {Groups}" : "")
            + (Bias ? "" : ", bias: false")
            + ")");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() =>
        $"new {Runtime}.Conv2d(\"{Field}\", {InputChannels}, {OutputChannels}, {Kernel}"
        + (Stride != 1 ? $", Stride: {Stride}" : "")
        + (Padding != 0 ? $", Padding: {Padding}" : "")
        + (Groups != 1 ? $", Groups: {Groups}" : "")
        + (Bias ? "" : ", Bias: false")
        + ")";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
