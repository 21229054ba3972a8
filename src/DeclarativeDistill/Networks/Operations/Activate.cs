using System;

namespace DeclarativeDistill.Operations;

/// <summary>The network's activation function, element by element.</summary>
/// <param name="Function">Which one.</param>
public sealed record Activate(Activation Function) : Operation
{
    internal override string Export(OnnxGraph graph, string x) => Function switch
    {
        Activation.Tanh => graph.Node("Tanh", new[] { x }),
        Activation.Sigmoid => graph.Node("Sigmoid", new[] { x }),
        // Exact GELU, as TorchSharp's gelu: x · ½ · (1 + erf(x / √2)).
        Activation.GELU => graph.Node("Mul", new[]
        {
            x,
            graph.Node("Mul", new[]
            {
                graph.Node("Add", new[] { graph.Node("Erf", new[] { graph.Node("Div", new[] { x, graph.Scalar("sqrt2", MathF.Sqrt(2)) }) }), graph.Scalar("one", 1) }),
                graph.Scalar("half", 0.5f),
            }),
        }),
        Activation.ReLU => graph.Node("Relu", new[] { x }),
        _ => throw new ArgumentOutOfRangeException(nameof(Function), Function, "Not an activation the export knows."),
    };
}
