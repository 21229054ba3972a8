using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>
/// Batch normalization over <paramref name="Features"/> channels (an image) or features (a vector), with its running
/// statistics in evaluation mode: a scale and a shift per channel, and the buffers <c>running_mean</c>,
/// <c>running_var</c> and <c>num_batches_tracked</c>. ε = 10⁻⁵, PyTorch's default, as the generator builds it.
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>bn1</c>, <c>res2.bn1</c>.</param>
/// <param name="Features">Channels or features.</param>
public sealed record BatchNorm(string Module, long Features) : Operation
{
    /// <summary>The ε added to the variance.</summary>
    public const float Epsilon = 1e-5f;

    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => new[]
    {
        new StateTensor(Module + ".weight", new[] { Features }),
        new StateTensor(Module + ".bias", new[] { Features }),
        new StateTensor(Module + ".running_mean", new[] { Features }, Trainable: false),
        new StateTensor(Module + ".running_var", new[] { Features }, Trainable: false),
        new StateTensor(Module + ".num_batches_tracked", System.Array.Empty<long>(), Trainable: false),
    };

    internal override string Export(OnnxGraph graph, string x) => graph.Node("BatchNormalization",
        new[] { x, graph.Float(Module + ".weight"), graph.Float(Module + ".bias"), graph.Float(Module + ".running_mean"), graph.Float(Module + ".running_var") },
        OnnxGraph.Float("epsilon", Epsilon));
}
