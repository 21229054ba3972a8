using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>embed(D)</c>: each token id becomes a learned vector of D features.</summary>
internal sealed record EmbedSpec(long Width, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "embed(" + Literal(Width) + ")";

    public override LayerKind Kind => Embed.Instance;
}

/// <summary>
/// <c>embed(D)</c>: token embeddings, a table of V × D weights (V the vocabulary of <c>tokens(V, L)</c>), turning L ids
/// into a sequence of L steps of D features. Id 0 is the padding: its row is the zero vector and learns nothing
/// (PyTorch's <c>padding_idx = 0</c>), and the steps it fills are left out of <c>gap</c> and <c>gmp</c>.
/// </summary>
internal sealed class Embed : LayerKind<EmbedSpec>
{
    public static readonly Embed Instance = new();

    public override int Order => 110;

    public override string Name => "embed";

    public override string Usage => "embed(D)";

    public override Signature Signature { get; } = new("embed(64)", new[] { "width" }, new string[0]);

    public override bool ReadsTokens => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers();
        if (problem is null)
        {
            spec = new EmbedSpec(arguments.Number("width"), arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(EmbedSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (!input.IsTokens)
        {
            return new ShapeProblem(Diagnostics.DiagnosticDescriptors.SequenceMismatch, spec.Start, spec.Length,
                $"{spec.Text} reads token ids, the input tokens(V, L), but the input here is {input.Describe()}");
        }
        string field = context.NextField("embed");
        var layer = new Layer(spec, input, TensorShape.Sequence(input.Length, spec.Width), field, checked(input.Vocabulary * spec.Width), 0,
            new Operation[] { new EmbeddingOperation(field, input.Vocabulary, spec.Width) }.ToEquatableArray());
        return LayerResult.Of(layer);
    }
}

/// <summary>An embedding table's module, id 0 the padding.</summary>
internal sealed record EmbeddingOperation(string Field, long Vocabulary, long Width) : Operation
{
    public override ModuleField Module =>
        new(Field, "global::TorchSharp.Modules.Embedding", $"global::TorchSharp.torch.nn.Embedding({Vocabulary}, {Width}, padding_idx: 0)");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() => $"new {Runtime}.Embedding(\"{Field}\", {Vocabulary}, {Width})";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
