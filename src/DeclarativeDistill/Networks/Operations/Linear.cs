using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>A fully connected layer: <c>x · weightᵀ + bias</c>, weight [<paramref name="Outputs"/>, <paramref name="Inputs"/>].</summary>
/// <param name="Module">Its state_dict prefix: <c>hidden1</c>, <c>output</c>.</param>
/// <param name="Inputs">Features in.</param>
/// <param name="Outputs">Features out.</param>
/// <param name="Bias">Whether it adds a bias.</param>
public sealed record Linear(string Module, long Inputs, long Outputs, bool Bias = true) : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State
    {
        get
        {
            yield return new StateTensor(Module + ".weight", new[] { Outputs, Inputs });
            if (Bias)
            {
                yield return new StateTensor(Module + ".bias", new[] { Outputs });
            }
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<string> CompressibleWeights => new[] { Module + ".weight" };

    internal override string Export(OnnxGraph graph, string x) =>
        graph.IntegerLinear(x, Module + ".weight", Bias ? Module + ".bias" : null)
        ?? graph.Node("Gemm", Bias ? new[] { x, graph.Weight(Module + ".weight"), graph.Float(Module + ".bias") } : new[] { x, graph.Weight(Module + ".weight") },
            OnnxGraph.Int("transB", 1));
}
