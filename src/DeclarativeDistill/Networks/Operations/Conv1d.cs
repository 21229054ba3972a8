using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>
/// A 1-D convolution along a sequence's steps, reading and giving [batch, steps, features]: weight
/// [<paramref name="OutputChannels"/>, <paramref name="InputChannels"/>, K] and a bias.
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>conv1</c>.</param>
/// <param name="InputChannels">Features in per step.</param>
/// <param name="OutputChannels">Features out per step.</param>
/// <param name="Kernel">Steps per window.</param>
/// <param name="Stride">Steps between windows.</param>
/// <param name="Padding">Zero steps added at each end.</param>
public sealed record Conv1d(string Module, long InputChannels, long OutputChannels, long Kernel, long Stride = 1, long Padding = 0) : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => new[]
    {
        new StateTensor(Module + ".weight", new[] { OutputChannels, InputChannels, Kernel }),
        new StateTensor(Module + ".bias", new[] { OutputChannels }),
    };

    /// <inheritdoc/>
    public override IEnumerable<string> CompressibleWeights => new[] { Module + ".weight" };

    internal override string Export(OnnxGraph graph, string x)
    {
        string channelsFirst = graph.Node("Transpose", new[] { x }, OnnxGraph.Ints("perm", 0, 2, 1));
        string y = graph.Node("Conv", new[] { channelsFirst, graph.Weight(Module + ".weight"), graph.Float(Module + ".bias") },
            OnnxGraph.Ints("kernel_shape", Kernel), OnnxGraph.Ints("strides", Stride), OnnxGraph.Ints("pads", Padding, Padding));
        if (graph.Mask is { } mask && (Stride != 1 || Kernel != 2 * Padding + 1))
        {
            // A step of the output is a token where its window held one: the mask max-pooled like the values.
            string pooled = graph.Node("MaxPool", new[] { graph.Node("Unsqueeze", new[] { mask, graph.Int64s("axis_1", 1) }) },
                OnnxGraph.Ints("kernel_shape", Kernel), OnnxGraph.Ints("strides", Stride), OnnxGraph.Ints("pads", Padding, Padding));
            graph.Mask = graph.Node("Squeeze", new[] { pooled, graph.Int64s("axis_1", 1) });
        }
        return graph.Node("Transpose", new[] { y }, OnnxGraph.Ints("perm", 0, 2, 1));
    }
}
