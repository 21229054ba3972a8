namespace DeclarativeDistill.Operations;

/// <summary>Average pooling over <paramref name="Kernel"/>×<paramref name="Kernel"/> windows.</summary>
public sealed record AveragePool(long Kernel, long Stride) : Operation
{
    internal override string Export(OnnxGraph graph, string x) =>
        graph.Node("AveragePool", new[] { x }, OnnxGraph.Ints("kernel_shape", Kernel, Kernel), OnnxGraph.Ints("strides", Stride, Stride));
}
