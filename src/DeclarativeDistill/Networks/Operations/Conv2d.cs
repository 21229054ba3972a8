using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>
/// A 2-D convolution with square <paramref name="Kernel"/>×<paramref name="Kernel"/> filters: weight
/// [<paramref name="OutputChannels"/>, <paramref name="InputChannels"/> / <paramref name="Groups"/>, K, K].
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>conv1</c>, <c>res2.conv1</c>.</param>
/// <param name="InputChannels">Channels in.</param>
/// <param name="OutputChannels">Channels out.</param>
/// <param name="Kernel">The filters' size.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Padding">Zeros added on each side.</param>
/// <param name="Groups">Channel groups (the input channels for a depthwise convolution).</param>
/// <param name="Bias">Whether it adds a bias (not before batch norm).</param>
public sealed record Conv2d(string Module, long InputChannels, long OutputChannels, long Kernel, long Stride = 1, long Padding = 0, long Groups = 1, bool Bias = true)
    : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State
    {
        get
        {
            yield return new StateTensor(Module + ".weight", new[] { OutputChannels, InputChannels / Groups, Kernel, Kernel });
            if (Bias)
            {
                yield return new StateTensor(Module + ".bias", new[] { OutputChannels });
            }
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<string> CompressibleWeights => new[] { Module + ".weight" };

    internal override string Export(OnnxGraph graph, string x)
    {
        var inputs = new List<string> { x, graph.Weight(Module + ".weight") };
        if (Bias)
        {
            inputs.Add(graph.Float(Module + ".bias"));
        }
        return graph.Node("Conv", inputs,
            OnnxGraph.Ints("kernel_shape", Kernel, Kernel),
            OnnxGraph.Ints("strides", Stride, Stride),
            OnnxGraph.Ints("pads", Padding, Padding, Padding, Padding),
            OnnxGraph.Int("group", Groups));
    }
}
