namespace DeclarativeDistill.Operations;

/// <summary>How a <see cref="SequenceReadout"/> makes one vector of a sequence.</summary>
public enum Readout
{
    /// <summary>The mean over the steps that hold a token (<c>gap</c>).</summary>
    Mean,

    /// <summary>Each feature's largest value over the steps that hold a token (<c>gmp</c>); 0 when none does.</summary>
    Max,

    /// <summary>The first step (<c>first</c>).</summary>
    First,
}

/// <summary>A sequence [batch, steps, features] read out into one vector [batch, features] per example, padding left out.</summary>
public sealed record SequenceReadout(Readout Kind) : Operation
{
    internal override string Export(OnnxGraph graph, string x)
    {
        if (Kind == Readout.First)
        {
            string first = graph.Node("Gather", new[] { x, graph.Int64s("first_step", 0) }, OnnxGraph.Int("axis", 1)); // [batch, 1, features]
            return graph.Node("Squeeze", new[] { first, graph.Int64s("axis_1", 1) });
        }
        string mask = graph.Mask ?? throw new System.InvalidOperationException("A sequence readout needs the padding mask of a text network's export.");
        string perStep = graph.Node("Unsqueeze", new[] { mask, graph.Int64s("axis_2", 2) }); // [batch, steps, 1]
        if (Kind == Readout.Mean)
        {
            string sum = graph.Node("ReduceSum", new[] { graph.Node("Mul", new[] { x, perStep }), graph.Int64s("axis_1", 1) }, OnnxGraph.Int("keepdims", 0));
            string count = graph.Node("ReduceSum", new[] { mask, graph.Int64s("axis_1", 1) }, OnnxGraph.Int("keepdims", 1));
            return graph.Node("Div", new[] { sum, graph.Node("Max", new[] { count, graph.Scalar("one", 1f) }) });
        }
        string isToken = graph.Node("Cast", new[] { perStep }, OnnxGraph.Int("to", (long)Onnx.TensorProto.Types.DataType.Bool));
        string masked = graph.Node("Where", new[] { isToken, x, graph.Scalar("minus_infinity", float.NegativeInfinity) });
        string largest = graph.Node("ReduceMax", new[] { masked }, OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 0));
        return graph.Node("Where", new[] { graph.Node("IsInf", new[] { largest }), graph.Scalar("zero", 0f), largest });
    }
}
