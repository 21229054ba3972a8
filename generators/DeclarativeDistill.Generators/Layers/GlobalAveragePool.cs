using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>gap</c>: global average pooling, an image C×H×W to a vector of C.</summary>
internal sealed record GlobalAvgPoolSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "gap";

    public override LayerKind Kind => GlobalAveragePool.Instance;
}

/// <summary><c>gap</c>: the mean of each channel over the image, or of each feature over a sequence's steps (padding left out). No state.</summary>
internal sealed class GlobalAveragePool : LayerKind<GlobalAvgPoolSpec>
{
    public static readonly GlobalAveragePool Instance = new();

    public override int Order => 70;

    public override string Name => "gap";

    public override string Usage => "gap";

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new GlobalAvgPoolSpec(arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(GlobalAvgPoolSpec spec, LayerContext context) =>
        context.Input.IsSequence
            ? Shapes.Stateless(spec, context.Input, TensorShape.Vector(context.Input.Channels), new SequenceReadoutOperation(ReadoutKind.Mean))
        : Shapes.NeedsImage(spec, context.Input) is { } notAnImage
            ? notAnImage
            : Shapes.Stateless(spec, context.Input, TensorShape.Vector(context.Input.Channels), new GlobalAveragePoolOperation());
}

/// <summary>The mean over the spatial dimensions.</summary>
internal sealed record GlobalAveragePoolOperation : Operation
{
    public override string Apply(string x) => $"{x}.mean(new long[] {{ 2, 3 }})";

    public override string Describe() => $"new {Runtime}.GlobalAveragePool()";
}
