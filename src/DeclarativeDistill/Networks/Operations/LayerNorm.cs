using System;
using System.Collections.Generic;
using System.Linq;

namespace DeclarativeDistill.Operations;

/// <summary>
/// Layer normalization over the last <paramref name="Shape"/>.Count dimensions (one example's values), then a scale and
/// a shift per value: weight and bias of <paramref name="Shape"/>. ε = 10⁻⁵, PyTorch's default.
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>ln1</c>.</param>
/// <param name="Shape">The normalized shape: <c>[D]</c> for a vector, <c>[C, H, W]</c> for an image.</param>
public sealed record LayerNorm(string Module, IReadOnlyList<long> Shape) : Operation
{
    /// <summary>The ε added to the variance.</summary>
    public const float Epsilon = 1e-5f;

    private readonly string module = Named(Module);
    private readonly IReadOnlyList<long> shape = Checked(Shape);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <summary>The normalized shape.</summary>
    public IReadOnlyList<long> Shape { get => shape; init => shape = Checked(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => new[]
    {
        new StateTensor(Module + ".weight", Shape),
        new StateTensor(Module + ".bias", Shape),
    };

    internal override string Export(OnnxGraph graph, string x) =>
        graph.Node("LayerNormalization", new[] { x, graph.Float(Module + ".weight"), graph.Float(Module + ".bias") },
            OnnxGraph.Int("axis", -Shape.Count), OnnxGraph.Float("epsilon", Epsilon));

    /// <inheritdoc/>
    public override string ToString() => $"LayerNorm {{ Module = {Module}, Shape = [{string.Join(", ", Shape)}] }}";

    private static IReadOnlyList<long> Checked(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0)
        {
            throw new ArgumentException("A layer norm normalizes at least one dimension.", nameof(shape));
        }
        Positive(shape.ToArray());
        return shape.ToArray();
    }
}
