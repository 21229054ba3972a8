using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>
/// Token embeddings: each id (int64) becomes its row of the weight [<paramref name="Vocabulary"/>,
/// <paramref name="Width"/>]; id 0 is the padding, whose row is zero.
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>embed1</c>.</param>
/// <param name="Vocabulary">Rows: the token ids it knows.</param>
/// <param name="Width">Features per token.</param>
public sealed record Embedding(string Module, long Vocabulary, long Width) : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => new[] { new StateTensor(Module + ".weight", new[] { Vocabulary, Width }) };

    internal override string Export(OnnxGraph graph, string x) =>
        graph.Node("Gather", new[] { graph.Float(Module + ".weight"), x }, OnnxGraph.Int("axis", 0));
}
