namespace DeclarativeDistill.Operations;

/// <summary>Global average pooling: an image C×H×W to a vector of C, the mean of each channel.</summary>
public sealed record GlobalAveragePool : Operation
{
    internal override string Export(OnnxGraph graph, string x) =>
        graph.Node("Flatten", new[] { graph.Node("GlobalAveragePool", new[] { x }) }, OnnxGraph.Int("axis", 1));
}
