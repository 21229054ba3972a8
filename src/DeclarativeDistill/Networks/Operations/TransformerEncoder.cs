using System;
using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>
/// Learned positional embeddings added to a sequence: weight [<paramref name="Steps"/>, <paramref name="Width"/>].
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>pos1</c>.</param>
/// <param name="Steps">Steps of the sequence.</param>
/// <param name="Width">Features per step.</param>
public sealed record PositionalEmbedding(string Module, long Steps, long Width) : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => new[] { new StateTensor(Module + ".weight", new[] { Steps, Width }) };

    internal override string Export(OnnxGraph graph, string x) => graph.Node("Add", new[] { x, graph.Float(Module + ".weight") });
}

/// <summary>
/// A transformer encoder block (<see cref="Modules.TransformerBlock"/>) with PyTorch's tensors: <c>self_attn.in_proj_weight</c>
/// [3D, D] and its bias, <c>self_attn.out_proj</c>, <c>linear1</c> [F, D], <c>linear2</c> [D, F], <c>norm1</c>, <c>norm2</c>.
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>transformer1</c>.</param>
/// <param name="Width">Features per step (D).</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="FeedForward">Units of the feed-forward layer (F).</param>
/// <param name="Function">The feed-forward layer's activation.</param>
public sealed record TransformerEncoder(string Module, long Width, long Heads, long FeedForward, Activation Function) : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => new[]
    {
        new StateTensor(Module + ".self_attn.in_proj_weight", new[] { 3 * Width, Width }),
        new StateTensor(Module + ".self_attn.in_proj_bias", new[] { 3 * Width }),
        new StateTensor(Module + ".self_attn.out_proj.weight", new[] { Width, Width }),
        new StateTensor(Module + ".self_attn.out_proj.bias", new[] { Width }),
        new StateTensor(Module + ".linear1.weight", new[] { FeedForward, Width }),
        new StateTensor(Module + ".linear1.bias", new[] { FeedForward }),
        new StateTensor(Module + ".linear2.weight", new[] { Width, FeedForward }),
        new StateTensor(Module + ".linear2.bias", new[] { Width }),
        new StateTensor(Module + ".norm1.weight", new[] { Width }),
        new StateTensor(Module + ".norm1.bias", new[] { Width }),
        new StateTensor(Module + ".norm2.weight", new[] { Width }),
        new StateTensor(Module + ".norm2.bias", new[] { Width }),
    };

    /// <inheritdoc/>
    public override IEnumerable<string> CompressibleWeights => new[] { Module + ".linear1.weight", Module + ".linear2.weight" };

    /// <summary>
    /// Attention written out (MatMul, Softmax) over [batch, heads, steps, steps], padding masked by an additive −10⁹ (a
    /// text without tokens attends to its first step, as the module does), then the feed-forward layer, each sublayer with
    /// its residual and <c>LayerNormalization</c>.
    /// </summary>
    internal override string Export(OnnxGraph graph, string x)
    {
        string mask = graph.Mask ?? throw new InvalidOperationException("A transformer block needs the padding mask of a text network's export.");
        long head = Width / Heads;
        string Linear(string input, string key)
        {
            // Dynamic int8 multiplies the feed-forward layers in integers (MatMulInteger reads the 3-D sequence as is).
            if (graph.IntegerLinear(input, key + ".weight", key + ".bias") is { } integer)
            {
                return integer;
            }
            // graph.Weight: int8 and dequantized when the export quantizes the feed-forward weights (CompressibleWeights).
            string weight = graph.Node("Transpose", new[] { graph.Weight(key + ".weight") }, OnnxGraph.Ints("perm", 1, 0));
            return graph.Node("Add", new[] { graph.Node("MatMul", new[] { input, weight }), graph.Float(key + ".bias") });
        }
        string Heads4(string value) => graph.Node("Transpose",
            new[] { graph.Node("Reshape", new[] { value, graph.Int64s($"{Module}.heads_shape", 0, 0, Heads, head) }) }, OnnxGraph.Ints("perm", 0, 2, 1, 3));

        // q, k, v from the packed projection, as [batch, heads, steps, head]
        string packed;
        using (var transposed = graph.StateTensor(Module + ".self_attn.in_proj_weight").detach().t().contiguous())
        {
            packed = graph.Node("Add", new[]
            {
                graph.Node("MatMul", new[] { x, graph.FloatTensor(Module + ".self_attn.in_proj_weight_t", transposed) }),
                graph.Float(Module + ".self_attn.in_proj_bias"),
            });
        }
        var split = new Onnx.NodeProto { OpType = "Split", Name = $"{Module}_split" };
        split.Input.Add(packed);
        split.Input.Add(graph.Int64s($"{Module}.qkv_sizes", Width, Width, Width));
        split.Attribute.Add(OnnxGraph.Int("axis", 2));
        string q = $"{Module}_q", k = $"{Module}_k", v = $"{Module}_v";
        split.Output.AddRange(new[] { q, k, v });
        graph.Graph.Node.Add(split);

        // Attended steps: the tokens, or the first step of a row without any. Bias 0 there, −10⁹ elsewhere.
        string any = graph.Node("ReduceMax", new[] { mask }, OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 1));
        string firstColumn = graph.Node("Slice", new[] { mask, graph.Int64s("zero_1", 0), graph.Int64s("one_1", 1), graph.Int64s("axis_1", 1) });
        string first = graph.Node("Max", new[] { firstColumn, graph.Node("Sub", new[] { graph.Scalar("one", 1f), any }) });
        string rest = graph.Node("Slice", new[] { mask, graph.Int64s("one_1", 1), graph.Int64s("end_max", long.MaxValue), graph.Int64s("axis_1", 1) });
        string attended = graph.Node("Concat", new[] { first, rest }, OnnxGraph.Int("axis", 1));
        string bias = graph.Node("Mul", new[] { graph.Node("Sub", new[] { attended, graph.Scalar("one", 1f) }), graph.Scalar("billion", 1e9f) });
        bias = graph.Node("Unsqueeze", new[] { bias, graph.Int64s("axes_1_2", 1, 2) }); // [batch, 1, 1, steps]

        string keysT = graph.Node("Transpose", new[] { Heads4(k) }, OnnxGraph.Ints("perm", 0, 1, 3, 2));
        string scores = graph.Node("Mul", new[] { graph.Node("MatMul", new[] { Heads4(q), keysT }), graph.Scalar($"{Module}.scale", 1f / MathF.Sqrt(head)) });
        string weights = graph.Node("Softmax", new[] { graph.Node("Add", new[] { scores, bias }) }, OnnxGraph.Int("axis", -1));
        string context = graph.Node("MatMul", new[] { weights, Heads4(v) });
        context = graph.Node("Reshape", new[] { graph.Node("Transpose", new[] { context }, OnnxGraph.Ints("perm", 0, 2, 1, 3)), graph.Int64s($"{Module}.width_shape", 0, 0, Width) });
        string y = Norm(graph, graph.Node("Add", new[] { x, Linear(context, Module + ".self_attn.out_proj") }), Module + ".norm1");

        string hidden = new Activate(Function).Export(graph, Linear(y, Module + ".linear1"));
        return Norm(graph, graph.Node("Add", new[] { y, Linear(hidden, Module + ".linear2") }), Module + ".norm2");
    }

    private static string Norm(OnnxGraph graph, string x, string key) =>
        graph.Node("LayerNormalization", new[] { x, graph.Float(key + ".weight"), graph.Float(key + ".bias") },
            OnnxGraph.Int("axis", -1), OnnxGraph.Float("epsilon", LayerNorm.Epsilon));
}
