using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>res(C, stride: S)</c>: a basic residual block of He et al. (2016).</summary>
internal sealed record ResidualSpec(long Channels, long Stride, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "res(" + Literal(Channels) + (Stride != 1 ? ", stride: " + Literal(Stride) : "") + ")";

    public override LayerKind Kind => Residual.Instance;
}

/// <summary>
/// <c>res(C, stride: S)</c>: 3×3 conv (stride S, pad 1) → bn → activation → 3×3 conv (pad 1) → bn, plus the shortcut
/// (a 1×1 conv with stride S and bn when C or the size changes), then the activation. Its module is the runtime's
/// <c>ResidualBlock</c>, whose state_dict keys are torchvision's <c>BasicBlock</c>'s.
/// </summary>
internal sealed class Residual : LayerKind<ResidualSpec>
{
    public static readonly Residual Instance = new();

    public override int Order => 60;

    public override string Name => "res";

    public override string Usage => "res(C)";

    public override Signature Signature { get; } = new("res(16) or res(32, stride: 2)", new[] { "channels" }, new[] { "stride" });

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers();
        if (problem is null)
        {
            spec = new ResidualSpec(arguments.Number("channels"), arguments.Number("stride", 1), arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(ResidualSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (Shapes.NeedsImage(spec, input) is { } notAnImage)
        {
            return notAnImage;
        }
        long channels = spec.Channels;
        var output = TensorShape.Image(channels, (input.Height - 1) / spec.Stride + 1, (input.Width - 1) / spec.Stride + 1);
        long positions = checked(output.Height * output.Width);
        long conv1 = checked(channels * input.Channels * 9);
        long conv2 = checked(channels * channels * 9);
        bool projection = spec.Stride != 1 || input.Channels != channels;
        long shortcut = projection ? checked(channels * input.Channels) : 0;
        long parameters = checked(conv1 + conv2 + shortcut + 2 * channels * (projection ? 3 : 2));
        long multiplyAdds = checked((conv1 + conv2 + shortcut) * positions);
        string field = context.NextField("res");
        var operation = new ResidualOperation(field, input.Channels, channels, spec.Stride, context.Activation);
        return LayerResult.Of(new Layer(spec, input, output, field, parameters, multiplyAdds, new Operation[] { operation }.ToEquatableArray()));
    }
}

/// <summary>
/// A residual block's module. The network's description spells out what it does: the main path and the shortcut
/// (empty for the identity) are summed, then activated.
/// </summary>
internal sealed record ResidualOperation(string Field, long InputChannels, long OutputChannels, long Stride, Activation Function) : Operation
{
    private const string Array = "new " + Runtime + ".Operation[]";

    public bool HasProjection => Stride != 1 || InputChannels != OutputChannels;

    public override ModuleField Module =>
        new(Field, "global::DeclarativeDistill.Modules.ResidualBlock",
            $"new global::DeclarativeDistill.Modules.ResidualBlock({InputChannels}, {OutputChannels}, {Stride}, {ActivationOperation.RuntimeActivation(Function)})");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() =>
        $"new {Runtime}.Residual(\"{Field}\",\n"
        + $"    Main: {Array}\n    {{\n"
        + string.Concat(Main().Select(o => $"        {o.Describe()},\n"))
        + "    },\n"
        + (HasProjection
            ? $"    Shortcut: {Array}\n    {{\n" + string.Concat(Shortcut().Select(o => $"        {o.Describe()},\n")) + "    })"
            : $"    Shortcut: {Array} {{ }})");

    public override IEnumerable<string> DescriptionEntries => new[] { Describe(), new ActivationOperation(Function).Describe() };

    public override Activation? After(Activation? before) => Function;

    private IEnumerable<Operation> Main() => new Operation[]
    {
        new Conv2dOperation(Field + ".conv1", InputChannels, OutputChannels, 3, Stride, 1, Depthwise: false, Bias: false),
        new BatchNormOperation(Field + ".bn1", OutputChannels, OverImages: true),
        new ActivationOperation(Function),
        new Conv2dOperation(Field + ".conv2", OutputChannels, OutputChannels, 3, 1, 1, Depthwise: false, Bias: false),
        new BatchNormOperation(Field + ".bn2", OutputChannels, OverImages: true),
    };

    private IEnumerable<Operation> Shortcut() => new Operation[]
    {
        new Conv2dOperation(Field + ".downsample.0", InputChannels, OutputChannels, 1, Stride, 0, Depthwise: false, Bias: false),
        new BatchNormOperation(Field + ".downsample.1", OutputChannels, OverImages: true),
    };
}
