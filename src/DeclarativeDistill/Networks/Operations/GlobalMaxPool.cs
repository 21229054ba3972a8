namespace DeclarativeDistill.Operations;

/// <summary>Global max pooling: an image C×H×W to a vector of C, the largest value of each channel.</summary>
public sealed record GlobalMaxPool : Operation
{
    internal override string Export(OnnxGraph graph, string x) =>
        graph.Node("Flatten", new[] { graph.Node("GlobalMaxPool", new[] { x }) }, OnnxGraph.Int("axis", 1));
}
