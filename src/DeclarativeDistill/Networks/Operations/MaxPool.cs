namespace DeclarativeDistill.Operations;

/// <summary>Max pooling over <paramref name="Kernel"/>×<paramref name="Kernel"/> windows.</summary>
public sealed record MaxPool(long Kernel, long Stride) : Operation
{
    internal override string Export(OnnxGraph graph, string x) =>
        graph.Node("MaxPool", new[] { x }, OnnxGraph.Ints("kernel_shape", Kernel, Kernel), OnnxGraph.Ints("strides", Stride, Stride));
}
