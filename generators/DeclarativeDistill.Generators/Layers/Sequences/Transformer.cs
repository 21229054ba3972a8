using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>positions</c>: learned positional embeddings added to a sequence.</summary>
internal sealed record PositionsSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "positions";

    public override LayerKind Kind => Positions.Instance;
}

/// <summary>
/// <c>positions</c>: a learned vector per step, L × D weights, added to the sequence, so that what follows (a transformer,
/// which is blind to order) knows where each token is.
/// </summary>
internal sealed class Positions : LayerKind<PositionsSpec>
{
    public static readonly Positions Instance = new();

    public override int Order => 150;

    public override string Name => "positions";

    public override string Usage => "positions";

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new PositionsSpec(arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(PositionsSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (Shapes.NeedsSequence(spec, input) is { } notASequence)
        {
            return notASequence;
        }
        string field = context.NextField("pos");
        return LayerResult.Of(new Layer(spec, input, input, field, checked(input.Length * input.Channels), 0,
            new Operation[] { new PositionsOperation(field, input.Length, input.Channels) }.ToEquatableArray()));
    }
}

/// <summary>The positional embeddings' module.</summary>
internal sealed record PositionsOperation(string Field, long Steps, long Width) : Operation
{
    public override ModuleField Module =>
        new(Field, "global::DeclarativeDistill.Modules.PositionalEmbedding", $"new global::DeclarativeDistill.Modules.PositionalEmbedding({Steps}, {Width})");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() => $"new {Runtime}.PositionalEmbedding(\"{Field}\", {Steps}, {Width})";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}

/// <summary><c>transformer(H, F)</c>: a transformer encoder block.</summary>
internal sealed record TransformerSpec(long Heads, long FeedForward, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "transformer(" + Literal(Heads) + ", " + Literal(FeedForward) + ")";

    public override LayerKind Kind => Transformer.Instance;
}

/// <summary>
/// <c>transformer(H, F)</c>: one encoder block, PyTorch's <c>nn.TransformerEncoderLayer(D, H, F, batch_first=True)</c>
/// (post-norm) without dropout, the feed-forward layer's activation the network's: self-attention of H heads over the
/// steps that hold a token, then a feed-forward layer of F units, each with a residual connection and layer norm.
/// Parameters 4D² + 4D (attention) + 2DF + F + D (feed-forward) + 4D (two norms); multiply-adds per example
/// 4LD² + 2L²D + 2LDF. The width D must be a multiple of H.
/// </summary>
internal sealed class Transformer : LayerKind<TransformerSpec>
{
    public static readonly Transformer Instance = new();

    public override int Order => 160;

    public override string Name => "transformer";

    public override string Usage => "transformer(H, F)";

    public override Signature Signature { get; } = new("transformer(4, 256)", new[] { "heads", "feedforward" }, new string[0]);

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers();
        if (problem is null)
        {
            spec = new TransformerSpec(arguments.Number("heads"), arguments.Number("feedforward"), arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(TransformerSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (Shapes.NeedsSequence(spec, input) is { } notASequence)
        {
            return notASequence;
        }
        long d = input.Channels, l = input.Length, f = spec.FeedForward;
        if (d % spec.Heads != 0)
        {
            return new ShapeProblem(Diagnostics.DiagnosticDescriptors.SequenceMismatch, spec.Start, spec.Length,
                $"{spec.Text} splits the {d} features of {input.Describe()} into {spec.Heads} heads: the features must be a multiple of the heads");
        }
        long parameters = checked(4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d);
        long multiplyAdds = checked(4 * l * d * d + 2 * l * l * d + 2 * l * d * f);
        string field = context.NextField("transformer");
        return LayerResult.Of(new Layer(spec, input, input, field, parameters, multiplyAdds,
            new Operation[] { new TransformerOperation(field, d, spec.Heads, f, context.Activation) }.ToEquatableArray()));
    }
}

/// <summary>An encoder block's module (the runtime's <c>TransformerBlock</c>), reading the sequence and its padding mask.</summary>
internal sealed record TransformerOperation(string Field, long Width, long Heads, long FeedForward, RuntimeContract.Activation Function) : Operation
{
    public override ModuleField Module =>
        new(Field, "global::DeclarativeDistill.Modules.TransformerBlock",
            $"new global::DeclarativeDistill.Modules.TransformerBlock({Width}, {Heads}, {FeedForward}, {ActivationOperation.RuntimeActivation(Function)})");

    public override string Apply(string x) => $"{Field}.call({x}, mask)";

    public override string Describe() =>
        $"new {Runtime}.TransformerEncoder(\"{Field}\", {Width}, {Heads}, {FeedForward}, {ActivationOperation.RuntimeActivation(Function)})";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
