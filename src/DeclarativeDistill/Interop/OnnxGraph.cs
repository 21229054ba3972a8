using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The ONNX graph of one export as the operations write it: nodes, each value named once, and the network's tensors
/// as initializers named by their state_dict keys (fully connected and convolution weights as int8 with per-channel
/// scales when the export quantizes them).
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, Tensor> state;
    private readonly Dictionary<string, QuantizedLayer> quantized;
    private readonly HashSet<string> names = new();
    private int counter;

    public OnnxGraph(Model model, QuantizedWeights? weights, bool integerMatMul = false)
    {
        state = model.state_dict().ToDictionary(p => p.Key, p => p.Value);
        quantized = weights?.Layers.ToDictionary(l => l.Key) ?? new Dictionary<string, QuantizedLayer>();
        IntegerMatMul = integerMatMul;
    }

    /// <summary>Whether fully connected layers with int8 weights multiply in integers (<see cref="OnnxWeights.DynamicInt8"/>).</summary>
    public bool IntegerMatMul { get; }

    /// <summary>
    /// <c>x · weightᵀ (+ bias)</c> of a fully connected layer in integers: <c>x</c> quantized per run to uint8
    /// (<c>DynamicQuantizeLinear</c>), times the int8 weight transposed [in, out] (<c>MatMulInteger</c>, int32), then
    /// scaled back by the input's scale times each output's weight scale; null when the layer's weight is not int8.
    /// </summary>
    public string? IntegerLinear(string x, string weightKey, string? biasKey)
    {
        if (!IntegerMatMul || !quantized.TryGetValue(weightKey, out var layer))
        {
            return null;
        }
        var quantize = new NodeProto { OpType = "DynamicQuantizeLinear", Name = $"dynamicquantizelinear_{++counter}" };
        quantize.Input.Add(x);
        string xq = quantize.Name + "_q", xs = quantize.Name + "_scale", xz = quantize.Name + "_zero_point";
        quantize.Output.AddRange(new[] { xq, xs, xz });
        Graph.Node.Add(quantize);

        using var transposed = layer.Values.t().contiguous();
        string weight = Initializer($"{weightKey}.int8_t", TensorProto.Types.DataType.Int8, transposed.shape, Bytes(transposed));
        using var zeros = torch.zeros(layer.Scales.shape, ScalarType.Int8);
        string weightZero = Initializer($"{weightKey}.zero_point", TensorProto.Types.DataType.Int8, zeros.shape, Bytes(zeros));
        string scales = Initializer($"{weightKey}.scale", TensorProto.Types.DataType.Float, layer.Scales.shape, Bytes(layer.Scales));

        string product = Node("MatMulInteger", new[] { xq, weight, xz, weightZero });
        string real = Node("Cast", new[] { product }, Int("to", (long)TensorProto.Types.DataType.Float));
        string y = Node("Mul", new[] { real, Node("Mul", new[] { xs, scales }) });
        return biasKey is null ? y : Node("Add", new[] { y, Float(biasKey) });
    }

    public GraphProto Graph { get; } = new();

    /// <summary>Adds a node of <paramref name="op"/> reading <paramref name="inputs"/>; returns the name of its one output.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = $"{op.ToLowerInvariant()}_{++counter}";
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>The graph's output <paramref name="name"/>, the value <paramref name="value"/>.</summary>
    public void Output(string value, string name) => Graph.Node.Add(new NodeProto { OpType = "Identity", Name = name, Input = { value }, Output = { name } });

    /// <summary>A weight of a convolution or fully connected layer: float32, or int8 dequantized per output channel.</summary>
    public string Weight(string key)
    {
        if (!quantized.TryGetValue(key, out var layer))
        {
            return Float(key);
        }
        string values = Initializer($"{key}.int8", TensorProto.Types.DataType.Int8, layer.Values.shape, Bytes(layer.Values));
        string scales = Initializer($"{key}.scale", TensorProto.Types.DataType.Float, layer.Scales.shape, Bytes(layer.Scales));
        using var zeros = torch.zeros(layer.Scales.shape, ScalarType.Int8);
        string zeroPoints = Initializer($"{key}.zero_point", TensorProto.Types.DataType.Int8, zeros.shape, Bytes(zeros));
        return Node("DequantizeLinear", new[] { values, scales, zeroPoints }, Int("axis", 0));
    }

    /// <summary>A float32 tensor of the state_dict as an initializer named by its key.</summary>
    public string Float(string key) => FloatTensor(key, StateTensor(key));

    /// <summary>
    /// The padding mask of the sequence being exported, a float32 value [batch, steps] (1 where there is a token), which
    /// readouts average and maximise over; null outside text networks. A layer that changes the steps updates it.
    /// </summary>
    public string? Mask { get; set; }

    /// <summary>A tensor of the state_dict, for operations that rearrange it (a recurrent layer's gates).</summary>
    public Tensor StateTensor(string key) => state.TryGetValue(key, out var found)
        ? found
        : throw new ArgumentException($"The network has no tensor '{key}' for its ONNX export; its description does not match its modules.");

    /// <summary>A float32 tensor computed for the export (not a state_dict entry as it is), as an initializer.</summary>
    public string FloatTensor(string name, Tensor values)
    {
        using var data = values.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return Initializer(name, TensorProto.Types.DataType.Float, data.shape, Bytes(data));
    }

    /// <summary>A float32 scalar constant, stored once however often it is read.</summary>
    public string Scalar(string name, float value) =>
        Initializer(name, TensorProto.Types.DataType.Float, Array.Empty<long>(), BitConverter.GetBytes(value));

    /// <summary>An int64 vector constant (a shape).</summary>
    public string Int64s(string name, params long[] values) =>
        Initializer(name, TensorProto.Types.DataType.Int64, new long[] { values.Length }, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string Initializer(string name, TensorProto.Types.DataType type, long[] dims, byte[] data)
    {
        if (!names.Add(name))
        {
            return name; // a tensor read twice (GELU's constants, in every activation) is stored once
        }
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        proto.Dims.AddRange(dims);
        Graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>The tensor's values as little-endian bytes (ONNX's raw_data), on every platform .NET runs on.</summary>
    private static byte[] Bytes(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        return cpu.bytes.ToArray();
    }
}
