using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>conv1d(C, K, stride: S, pad: P)</c>: a convolution along a sequence's steps.</summary>
internal sealed record Conv1dSpec(long Channels, long Kernel, long Stride, long Pad, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text =>
        "conv1d(" + Literal(Channels) + ", " + Literal(Kernel)
        + (Stride != 1 ? ", stride: " + Literal(Stride) : "")
        + (Pad != 0 ? ", pad: " + Literal(Pad) : "")
        + ")";

    public override LayerKind Kind => Convolution1d.Instance;
}

/// <summary>
/// <c>conv1d(C, K)</c>: a 1-D convolution over a sequence's steps, D features in, C out, a window of K steps;
/// steps out = ⌊(L + 2·pad − K) / stride⌋ + 1. The network's activation follows it. A step of its output is padding
/// when every step of its window was.
/// </summary>
internal sealed class Convolution1d : LayerKind<Conv1dSpec>
{
    public static readonly Convolution1d Instance = new();

    public override int Order => 120;

    public override string Name => "conv1d";

    public override string Usage => "conv1d(C, K)";

    public override Signature Signature { get; } =
        new("conv1d(64, 5) or conv1d(64, 3, pad: 1)", new[] { "channels", "kernel" }, new[] { "stride", "pad" });

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers("pad");
        if (problem is null)
        {
            spec = new Conv1dSpec(arguments.Number("channels"), arguments.Number("kernel"), arguments.Number("stride", 1), arguments.Number("pad"),
                arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(Conv1dSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (Shapes.NeedsSequence(spec, input) is { } notASequence)
        {
            return notASequence;
        }
        if (input.Length + 2 * spec.Pad < spec.Kernel)
        {
            string padding = spec.Pad == 0 ? "" : $" with pad {spec.Pad}";
            return new ShapeProblem(Diagnostics.DiagnosticDescriptors.LayerDoesNotFit, spec.Start, spec.Length,
                $"{spec.Text} needs at least {spec.Kernel} steps{padding} but the input here is {input.Describe()}");
        }
        long steps = (input.Length + 2 * spec.Pad - spec.Kernel) / spec.Stride + 1;
        long weights = checked(spec.Channels * input.Channels * spec.Kernel);
        string field = context.NextField("conv");
        var operation = new Conv1dOperation(field, input.Channels, spec.Channels, spec.Kernel, spec.Stride, spec.Pad, steps != input.Length || spec.Stride != 1);
        var layer = new Layer(spec, input, TensorShape.Sequence(steps, spec.Channels), field, checked(weights + spec.Channels), checked(weights * steps),
            new Operation[] { operation }.ToEquatableArray());
        return LayerResult.Of(layer, new ActivationOperation(context.Activation));
    }
}

/// <summary>A 1-D convolution's module, reading and giving [N, steps, features] (Conv1d itself takes [N, features, steps]).</summary>
internal sealed record Conv1dOperation(string Field, long InputChannels, long OutputChannels, long Kernel, long Stride, long Padding, bool MovesSteps) : Operation
{
    public override ModuleField Module =>
        new(Field, "global::TorchSharp.Modules.Conv1d",
            $"global::TorchSharp.torch.nn.Conv1d({InputChannels}, {OutputChannels}, {Kernel}"
            + (Stride != 1 ? $", stride: {Stride}" : "")
            + (Padding != 0 ? $", padding: {Padding}" : "")
            + ")");

    public override string Apply(string x) => $"{Field}.forward({x}.transpose(1, 2)).transpose(1, 2)";

    public override string? MaskAfter(string mask) =>
        MovesSteps ? $"global::DeclarativeDistill.Modules.SequenceReadout.ConvolvedMask({mask}, {Kernel}, {Stride}, {Padding})" : null;

    public override string Describe() =>
        $"new {Runtime}.Conv1d(\"{Field}\", {InputChannels}, {OutputChannels}, {Kernel}"
        + (Stride != 1 ? $", Stride: {Stride}" : "")
        + (Padding != 0 ? $", Padding: {Padding}" : "")
        + ")";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
