namespace DeclarativeDistill.Operations;

/// <summary>An image [N, C, H, W] to rows [N, C·H·W], channel by channel and row by row.</summary>
public sealed record Flatten : Operation
{
    internal override string Export(OnnxGraph graph, string x) => graph.Node("Flatten", new[] { x }, OnnxGraph.Int("axis", 1));
}
