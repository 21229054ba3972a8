using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>How a readout makes one vector of a sequence or an image.</summary>
internal enum ReadoutKind
{
    /// <summary>The mean over the steps that are not padding (<c>gap</c> on a sequence).</summary>
    Mean,

    /// <summary>The largest value of each feature over the steps that are not padding, or over an image (<c>gmp</c>).</summary>
    Max,

    /// <summary>The first step (<c>first</c>: a [CLS]-style readout).</summary>
    First,
}

/// <summary><c>gmp</c>: global max pooling.</summary>
internal sealed record GlobalMaxPoolSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "gmp";

    public override LayerKind Kind => GlobalMaxPool.Instance;
}

/// <summary>
/// <c>gmp</c>: the largest value of each feature over a sequence's steps (padding left out), or of each channel over an
/// image: a sequence L×D or an image C×H×W to a vector of D or C. No state.
/// </summary>
internal sealed class GlobalMaxPool : LayerKind<GlobalMaxPoolSpec>
{
    public static readonly GlobalMaxPool Instance = new();

    public override int Order => 75;

    public override string Name => "gmp";

    public override string Usage => "gmp";

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new GlobalMaxPoolSpec(arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(GlobalMaxPoolSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (input.IsSequence)
        {
            return Shapes.Stateless(spec, input, TensorShape.Vector(input.Channels), new SequenceReadoutOperation(ReadoutKind.Max));
        }
        if (!input.IsImage)
        {
            return new ShapeProblem(Diagnostics.DiagnosticDescriptors.ImageLayerOnVector, spec.Start, spec.Length,
                $"gmp needs an image or a sequence but the input here is {input.Describe()}");
        }
        return Shapes.Stateless(spec, input, TensorShape.Vector(input.Channels), new GlobalMaxPoolOperation());
    }
}

/// <summary>The largest value over the spatial dimensions of an image.</summary>
internal sealed record GlobalMaxPoolOperation : Operation
{
    public override string Apply(string x) => $"{x}.amax(new long[] {{ 2, 3 }})";

    public override string Describe() => $"new {Runtime}.GlobalMaxPool()";
}

/// <summary><c>first</c>: the first step of a sequence.</summary>
internal sealed record FirstStepSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "first";

    public override LayerKind Kind => FirstStep.Instance;
}

/// <summary><c>first</c>: a sequence L×D to its first step, a vector of D (the readout of BERT's [CLS] token). No state.</summary>
internal sealed class FirstStep : LayerKind<FirstStepSpec>
{
    public static readonly FirstStep Instance = new();

    public override int Order => 130;

    public override string Name => "first";

    public override string Usage => "first";

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new FirstStepSpec(arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(FirstStepSpec spec, LayerContext context) =>
        Shapes.NeedsSequence(spec, context.Input) is { } notASequence
            ? notASequence
            : Shapes.Stateless(spec, context.Input, TensorShape.Vector(context.Input.Channels), new SequenceReadoutOperation(ReadoutKind.First));
}

/// <summary>A sequence read out into one vector per example, padding left out by the mask.</summary>
internal sealed record SequenceReadoutOperation(ReadoutKind Readout) : Operation
{
    private const string Helper = "global::DeclarativeDistill.Modules.SequenceReadout";

    public override string Apply(string x) => Readout switch
    {
        ReadoutKind.Mean => $"{Helper}.Mean({x}, mask)",
        ReadoutKind.Max => $"{Helper}.Max({x}, mask)",
        _ => $"{Helper}.First({x})",
    };

    public override string Describe() => $"new {Runtime}.SequenceReadout(global::DeclarativeDistill.Operations.Readout.{Readout})";
}
