using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace DeclarativeDistill.Operations;

/// <summary>The cell of a <see cref="Recurrent"/> layer.</summary>
public enum RecurrentCell
{
    /// <summary>Long short-term memory (PyTorch's gates i, f, g, o).</summary>
    Lstm,

    /// <summary>Gated recurrent unit (PyTorch's gates r, z, n).</summary>
    Gru,
}

/// <summary>
/// One recurrent layer, batch first, reading [batch, steps, <paramref name="Inputs"/>] and giving every step's output
/// [batch, steps, <paramref name="Hidden"/> × directions], with PyTorch's tensors: <c>weight_ih_l0</c>
/// [gates·H, D], <c>weight_hh_l0</c> [gates·H, H], <c>bias_ih_l0</c> and <c>bias_hh_l0</c> [gates·H], and the same with
/// <c>_reverse</c> for the backward direction.
/// </summary>
/// <param name="Module">Its state_dict prefix: <c>lstm1</c>.</param>
/// <param name="Cell">LSTM or GRU.</param>
/// <param name="Inputs">Features in per step.</param>
/// <param name="Hidden">Units per direction.</param>
/// <param name="Bidirectional">Whether a backward direction runs too, its outputs beside the forward ones.</param>
public sealed record Recurrent(string Module, RecurrentCell Cell, long Inputs, long Hidden, bool Bidirectional = false) : Operation
{
    private readonly string module = Named(Module);

    /// <summary>Its state_dict prefix.</summary>
    public string Module { get => module; init => module = Named(value); }

    private long Gates => Cell == RecurrentCell.Lstm ? 4 : 3;

    private IEnumerable<string> Suffixes => Bidirectional ? new[] { "_l0", "_l0_reverse" } : new[] { "_l0" };

    /// <inheritdoc/>
    public override IEnumerable<StateTensor> State => Suffixes.SelectMany(suffix => new[]
    {
        new StateTensor($"{Module}.weight_ih{suffix}", new[] { Gates * Hidden, Inputs }),
        new StateTensor($"{Module}.weight_hh{suffix}", new[] { Gates * Hidden, Hidden }),
        new StateTensor($"{Module}.bias_ih{suffix}", new[] { Gates * Hidden }),
        new StateTensor($"{Module}.bias_hh{suffix}", new[] { Gates * Hidden }),
    });

    /// <summary>
    /// ONNX's <c>LSTM</c> or <c>GRU</c> on the sequence steps-first, its gates reordered from PyTorch's (i, f, g, o → i, o,
    /// f, c; r, z, n → z, r, h; the GRU with <c>linear_before_reset</c>, as PyTorch computes it), then back to batch first
    /// with the directions side by side.
    /// </summary>
    internal override string Export(OnnxGraph graph, string x)
    {
        long[] order = Cell == RecurrentCell.Lstm ? new long[] { 0, 3, 1, 2 } : new long[] { 1, 0, 2 };
        Tensor Reordered(string key)
        {
            var tensor = graph.StateTensor(key).detach();
            var blocks = tensor.chunk(Gates, 0);
            return cat(order.Select(i => blocks[i]).ToArray(), 0);
        }
        using var scope = NewDisposeScope();
        var w = stack(Suffixes.Select(s => Reordered($"{Module}.weight_ih{s}")).ToArray());
        var r = stack(Suffixes.Select(s => Reordered($"{Module}.weight_hh{s}")).ToArray());
        var b = stack(Suffixes.Select(s => cat(new[] { Reordered($"{Module}.bias_ih{s}"), Reordered($"{Module}.bias_hh{s}") }, 0)).ToArray());
        string op = Cell == RecurrentCell.Lstm ? "LSTM" : "GRU";
        var attributes = new List<Onnx.AttributeProto>
        {
            OnnxGraph.Int("hidden_size", Hidden),
            new() { Name = "direction", Type = Onnx.AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(Bidirectional ? "bidirectional" : "forward") },
        };
        if (Cell == RecurrentCell.Gru)
        {
            attributes.Add(OnnxGraph.Int("linear_before_reset", 1));
        }
        string stepsFirst = graph.Node("Transpose", new[] { x }, OnnxGraph.Ints("perm", 1, 0, 2));
        string y = graph.Node(op, new[]
        {
            stepsFirst, graph.FloatTensor($"{Module}.onnx_w", w), graph.FloatTensor($"{Module}.onnx_r", r), graph.FloatTensor($"{Module}.onnx_b", b),
        }, attributes.ToArray()); // Y: [steps, directions, batch, hidden]
        string batchFirst = graph.Node("Transpose", new[] { y }, OnnxGraph.Ints("perm", 2, 0, 1, 3));
        return graph.Node("Reshape", new[] { batchFirst, graph.Int64s("batch_steps_features", 0, 0, -1) });
    }
}
