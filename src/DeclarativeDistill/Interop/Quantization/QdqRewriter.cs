using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace DeclarativeDistill;

/// <summary>
/// Turns a float32 ONNX graph into the QDQ form of static int8 quantization, as ONNX Runtime's quantizer does for
/// x86-64: batch norm folded into the convolution or fully connected layer before it; the weights of every
/// convolution, <c>Gemm</c> and <c>MatMul</c> with a constant weight int8 per output channel (<c>DequantizeLinear</c>),
/// their biases int32 at the scale of input × weight; and a <c>QuantizeLinear → DequantizeLinear</c> pair (uint8, a
/// scale and zero point per tensor) on each such layer's input and on its output, after the ReLU that follows it
/// (which ONNX Runtime then drops: a zero point of 0 clips at zero by itself). Max pooling, reshapes and transposes
/// of a quantized value pass its scale on; additions and average pools of quantized values are quantized too.
/// </summary>
internal static class QdqRewriter
{
    private static readonly HashSet<string> Layers = new() { "Conv", "Gemm", "MatMul" };
    private static readonly HashSet<string> SameScale = new() { "MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze" };
    private static readonly HashSet<string> OwnScale = new() { "Add", "AveragePool", "GlobalAveragePool" };

    /// <summary>What to quantize in a graph whose batch norms are folded: its layers, and the values to calibrate.</summary>
    /// <param name="Quantized">The positions of the quantized layers among the graph's nodes.</param>
    /// <param name="Calibrated">The values whose range is measured.</param>
    /// <param name="SameScaleAs">Values that take the scale of another (a max pool's output, its input's).</param>
    /// <param name="Modules">Every layer with a constant weight, by module, in order.</param>
    /// <param name="Kept">The modules whose layers stay float32.</param>
    public sealed record Plan(IReadOnlySet<int> Quantized, IReadOnlyList<string> Calibrated, IReadOnlyDictionary<string, string> SameScaleAs, IReadOnlyList<string> Modules, IReadOnlyList<string> Kept);

    /// <summary>A copy of <paramref name="model"/> with every batch norm that follows a convolution or fully connected layer folded into its weights.</summary>
    public static ModelProto FoldBatchNorms(ModelProto model)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        foreach (var norm in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            var layer = graph.Node.SingleOrDefault(n => n.Output.Contains(norm.Input[0]));
            if (layer is null || layer.OpType is not ("Conv" or "Gemm") || Consumers(graph, norm.Input[0]).Count() != 1
                || layer.OpType == "Gemm" && (Attribute(layer, "transB")?.I ?? 0) != 1
                || !initializers.TryGetValue(layer.Input[1], out var weightProto)
                || norm.Input.Skip(1).Any(name => !initializers.ContainsKey(name)))
            {
                continue;
            }
            float epsilon = Attribute(norm, "epsilon")?.F ?? 1e-5f;
            var gamma = Floats(initializers[norm.Input[1]]);
            var beta = Floats(initializers[norm.Input[2]]);
            var mean = Floats(initializers[norm.Input[3]]);
            var variance = Floats(initializers[norm.Input[4]]);
            var weight = Floats(weightProto);
            int channels = gamma.Length;
            int perChannel = weight.Length / channels;
            var bias = layer.Input.Count > 2 && initializers.TryGetValue(layer.Input[2], out var biasProto) ? Floats(biasProto) : new float[channels];
            for (int c = 0; c < channels; c++)
            {
                double factor = gamma[c] / Math.Sqrt(variance[c] + epsilon);
                for (int i = 0; i < perChannel; i++)
                {
                    weight[c * perChannel + i] = (float)(weight[c * perChannel + i] * factor);
                }
                bias[c] = (float)((bias[c] - mean[c]) * factor + beta[c]);
            }
            string weightName = Add(graph, initializers, layer.Input[1] + "_folded", weightProto.Dims, weight);
            string biasName = Add(graph, initializers, (layer.Input.Count > 2 ? layer.Input[2] : layer.Input[1]) + "_bias_folded", new long[] { channels }, bias);
            layer.Input[1] = weightName;
            if (layer.Input.Count > 2)
            {
                layer.Input[2] = biasName;
            }
            else
            {
                layer.Input.Add(biasName);
            }
            layer.Output[0] = norm.Output[0];
            graph.Node.Remove(norm);
        }
        RemoveUnused(graph);
        return result;
    }

    /// <summary>
    /// Which layers of <paramref name="model"/> are quantized (every one with a constant weight but those of the
    /// modules in <paramref name="keepFloat"/>, or the last when it is null) and which values need a range.
    /// </summary>
    public static Plan Choose(ModelProto model, IReadOnlyList<string>? keepFloat)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var layers = graph.Node.Where(n => Layers.Contains(n.OpType) && n.Input.Count > 1 && initializers.Contains(n.Input[1])
            && (n.OpType != "Gemm" || (Attribute(n, "transB")?.I ?? 0) == 1 && (Attribute(n, "transA")?.I ?? 0) == 0 && (Attribute(n, "alpha")?.F ?? 1) == 1 && (Attribute(n, "beta")?.F ?? 1) == 1)
            && (n.OpType != "MatMul" || graph.Initializer.First(i => i.Name == n.Input[1]).Dims.Count == 2)).ToList();
        var modules = layers.Select(n => Module(n.Input[1])).ToList();
        HashSet<string> kept;
        if (keepFloat is null)
        {
            // The output layer, and convolutions over an image's own 1-3 channels, where ONNX Runtime's int8 convolution
            // is 4-6x slower than its float one. When that would leave nothing in int8, only the output layer stays
            // float32, then nothing.
            kept = layers.Where((n, i) => i == layers.Count - 1 || n.OpType == "Conv" && ReadsFewChannels(graph, n)).Select(n => Module(n.Input[1])).ToHashSet();
            if (kept.Count == layers.Count)
            {
                kept = layers.Count > 1 ? new HashSet<string> { Module(layers[^1].Input[1]) } : new HashSet<string>();
            }
        }
        else
        {
            kept = keepFloat.ToHashSet();
            var unknown = kept.Where(k => !modules.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException(
                    $"KeepFloat names {string.Join(", ", unknown)}, which {(unknown.Count == 1 ? "is not a layer" : "are not layers")} of this network; its layers are {string.Join(", ", modules)}.");
            }
        }
        var quantized = layers.Where(n => !kept.Contains(Module(n.Input[1]))).Select(n => graph.Node.IndexOf(n)).ToHashSet();
        PoolBeforeRelu(graph, quantized);

        var calibrated = new List<string>();
        var sameScale = new Dictionary<string, string>();
        bool IsQuantized(string value) => calibrated.Contains(value) || sameScale.ContainsKey(value);
        void Calibrate(string value)
        {
            if (!IsQuantized(value))
            {
                calibrated.Add(value);
            }
        }
        for (int index = 0; index < graph.Node.Count; index++)
        {
            var node = graph.Node[index];
            if (quantized.Contains(index))
            {
                Calibrate(node.Input[0]);
                Calibrate(AfterRelu(graph, node.Output[0]));
            }
            else if (SameScale.Contains(node.OpType) && IsQuantized(node.Input[0]))
            {
                sameScale[node.Output[0]] = Source(node.Input[0], sameScale);
            }
            else if (OwnScale.Contains(node.OpType) && node.Input.All(IsQuantized) && node.Output.Count == 1)
            {
                Calibrate(AfterRelu(graph, node.Output[0]));
            }
        }
        return new Plan(quantized, calibrated, sameScale, modules, modules.Where(kept.Contains).Distinct().ToList());
    }

    /// <summary>
    /// <paramref name="model"/> (batch norms folded) in QDQ form, with the ranges measured for
    /// <paramref name="plan"/>'s values.
    /// </summary>
    public static ModelProto Rewrite(ModelProto model, Plan plan, IReadOnlyDictionary<string, (float Low, float High)> ranges, bool reduceRange)
    {
        var result = model.Clone();
        var graph = result.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var parameters = new Dictionary<string, (string Scale, string ZeroPoint, float ScaleValue)>();
        foreach (string value in plan.Calibrated)
        {
            var (low, high) = ranges[value];
            float scale = (high - low) / 255f;
            byte zero = 0;
            if (!(scale > 0) || !float.IsFinite(scale))
            {
                scale = 1f; // a value that was always zero: any scale gives q = 0
            }
            else
            {
                zero = (byte)Math.Clamp(Math.Round(-low / scale), 0, 255);
            }
            parameters[value] = (
                Add(graph, initializers, value + "_scale", Array.Empty<long>(), new[] { scale }),
                AddRaw(graph, initializers, value + "_zero_point", TensorProto.Types.DataType.Uint8, Array.Empty<long>(), new[] { zero }),
                scale);
        }
        foreach (var (value, source) in plan.SameScaleAs)
        {
            parameters[value] = parameters[source];
        }

        var nodes = new List<NodeProto>();
        var renamed = new Dictionary<string, string>();
        void QuantizePair(string value)
        {
            if (!parameters.TryGetValue(value, out var p))
            {
                return;
            }
            string q = value + "_quantized", dq = value + "_dequantized";
            nodes.Add(new NodeProto { OpType = "QuantizeLinear", Name = q, Input = { value, p.Scale, p.ZeroPoint }, Output = { q } });
            nodes.Add(new NodeProto { OpType = "DequantizeLinear", Name = dq, Input = { q, p.Scale, p.ZeroPoint }, Output = { dq } });
            renamed[value] = dq;
        }
        foreach (var input in graph.Input)
        {
            QuantizePair(input.Name);
        }
        for (int index = 0; index < graph.Node.Count; index++)
        {
            var node = graph.Node[index];
            string? input = node.Input.Count > 0 ? node.Input[0] : null; // before renaming: whose scale a layer's input has
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (renamed.TryGetValue(node.Input[i], out var name))
                {
                    node.Input[i] = name;
                }
            }
            if (plan.Quantized.Contains(index))
            {
                QuantizeWeights(graph, initializers, node, nodes, parameters[input!].ScaleValue, reduceRange);
            }
            nodes.Add(node);
            foreach (string output in node.Output)
            {
                QuantizePair(output);
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        RemoveUnused(graph);
        return result;
    }

    /// <summary>The layer's weight as int8 per output channel and its bias as int32, each through a <c>DequantizeLinear</c>.</summary>
    private static void QuantizeWeights(GraphProto graph, Dictionary<string, TensorProto> initializers, NodeProto node, List<NodeProto> nodes, float inputScale, bool reduceRange)
    {
        int levels = reduceRange ? 63 : 127;
        var weightProto = initializers[node.Input[1]];
        var weight = Floats(weightProto);
        // Conv [O, I/g, k, k] and Gemm with transB [O, I] have an output channel per row; MatMul [I, O] per column.
        bool perColumn = node.OpType == "MatMul";
        int channels = (int)(perColumn ? weightProto.Dims[1] : weightProto.Dims[0]);
        sbyte[] values;
        float[] scales;
        using (var scope = TorchSharp.torch.NewDisposeScope())
        {
            var rows = TorchSharp.torch.tensor(weight).reshape(perColumn ? new long[] { weight.Length / channels, channels } : new long[] { channels, -1 });
            var (integers, rowScales) = Int8Quantization.PerRow(perColumn ? rows.t() : rows, levels);
            values = (perColumn ? integers.t() : integers).contiguous().data<sbyte>().ToArray();
            scales = rowScales.data<float>().ToArray();
        }

        string key = node.Input[1];
        string q = AddRaw(graph, initializers, key + "_int8", TensorProto.Types.DataType.Int8, weightProto.Dims.ToArray(), values);
        string s = Add(graph, initializers, key + "_scale", new long[] { channels }, scales);
        string z = AddRaw(graph, initializers, key + "_zero_point", TensorProto.Types.DataType.Int8, new long[] { channels }, new sbyte[channels]);
        string dq = key + "_dequantized";
        nodes.Add(new NodeProto { OpType = "DequantizeLinear", Name = dq, Input = { q, s, z }, Output = { dq }, Attribute = { Int("axis", perColumn ? 1 : 0) } });
        node.Input[1] = dq;

        if (node.OpType != "MatMul" && node.Input.Count > 2 && initializers.TryGetValue(node.Input[2], out var biasProto))
        {
            var bias = Floats(biasProto);
            var biasScales = scales.Select(w => w * inputScale).ToArray();
            var integers = bias.Select((b, c) => (int)Math.Clamp(Math.Round(b / biasScales[c]), int.MinValue + 1, int.MaxValue)).ToArray();
            string biasKey = node.Input[2];
            string bq = AddRaw(graph, initializers, biasKey + "_int32", TensorProto.Types.DataType.Int32, new long[] { channels }, integers);
            string bs = Add(graph, initializers, biasKey + "_scale", new long[] { channels }, biasScales);
            string bdq = biasKey + "_dequantized";
            nodes.Add(new NodeProto { OpType = "DequantizeLinear", Name = bdq, Input = { bq, bs }, Output = { bdq }, Attribute = { Int("axis", 0) } });
            node.Input[2] = bdq;
        }
        if (node.OpType == "Gemm")
        {
            // ONNX Runtime reads alpha and beta when it fuses a Gemm; the defaults are written out.
            SetFloat(node, "alpha", 1f);
            SetFloat(node, "beta", 1f);
        }
    }

    /// <summary>Whether a convolution reads 1-3 input channels (its weight is [O, C/groups, k, k]).</summary>
    private static bool ReadsFewChannels(GraphProto graph, NodeProto conv)
    {
        var weight = graph.Initializer.First(i => i.Name == conv.Input[1]);
        return weight.Dims.Count == 4 && weight.Dims[1] * (Attribute(conv, "group")?.I ?? 1) <= 3;
    }

    /// <summary>
    /// Swaps <c>Relu → MaxPool</c> into <c>MaxPool → Relu</c> (the same values: max and ReLU commute) after layers that stay
    /// float32, so that a quantized value downstream is quantized after the pooling: ONNX Runtime moves a
    /// <c>QuantizeLinear</c> up through a max pool but not through a ReLU, and pools uint8 values in NCHW an order of
    /// magnitude slower than float32 ones.
    /// </summary>
    private static void PoolBeforeRelu(GraphProto graph, IReadOnlySet<int> quantized)
    {
        for (int index = 0; index < graph.Node.Count - 1; index++)
        {
            var relu = graph.Node[index];
            if (relu.OpType != "Relu" || graph.Output.Any(o => o.Name == relu.Output[0]))
            {
                continue;
            }
            var consumers = Consumers(graph, relu.Output[0]).ToList();
            int producer = graph.Node.ToList().FindIndex(n => n.Output.Contains(relu.Input[0]));
            if (consumers.Count != 1 || consumers[0].OpType != "MaxPool" || quantized.Contains(producer))
            {
                continue;
            }
            var pool = consumers[0];
            int poolIndex = graph.Node.IndexOf(pool);
            string pooled = relu.Output[0];
            pool.Input[0] = relu.Input[0];
            relu.Input[0] = pooled;
            relu.Output[0] = pool.Output[0];
            pool.Output[0] = pooled;
            graph.Node[index] = pool;
            graph.Node[poolIndex] = relu;
        }
    }

    /// <summary>The module a weight belongs to: <c>conv1</c> for <c>conv1.weight</c> and <c>conv1.weight_folded</c>.</summary>
    private static string Module(string weight)
    {
        int dot = weight.LastIndexOf('.');
        return dot > 0 ? weight[..dot] : weight;
    }

    /// <summary>The value to quantize for a layer's output: the ReLU's output when a lone ReLU reads it.</summary>
    private static string AfterRelu(GraphProto graph, string output)
    {
        var consumers = Consumers(graph, output).ToList();
        return consumers.Count == 1 && consumers[0].OpType == "Relu" && graph.Output.All(o => o.Name != output) ? consumers[0].Output[0] : output;
    }

    private static string Source(string value, Dictionary<string, string> sameScale) => sameScale.TryGetValue(value, out var source) ? source : value;

    private static IEnumerable<NodeProto> Consumers(GraphProto graph, string value) => graph.Node.Where(n => n.Input.Contains(value));

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static void SetFloat(NodeProto node, string name, float value)
    {
        if (Attribute(node, name) is { } existing)
        {
            node.Attribute.Remove(existing);
        }
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });
    }

    /// <summary>The float32 values of an initializer, from raw bytes or the typed field.</summary>
    internal static float[] Floats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new ArgumentException($"The initializer '{tensor.Name}' is not float32.");
        }
        return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : tensor.FloatData.ToArray();
    }

    private static string Add(GraphProto graph, Dictionary<string, TensorProto> initializers, string name, IEnumerable<long> dims, float[] values) =>
        AddRaw(graph, initializers, name, TensorProto.Types.DataType.Float, dims, values);

    private static string AddRaw<T>(GraphProto graph, Dictionary<string, TensorProto> initializers, string name, TensorProto.Types.DataType type, IEnumerable<long> dims, T[] values)
        where T : unmanaged
    {
        if (initializers.ContainsKey(name))
        {
            throw new InvalidOperationException($"The graph already has a value '{name}'.");
        }
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        proto.Dims.AddRange(dims);
        graph.Initializer.Add(proto);
        initializers[name] = proto;
        return name;
    }

    /// <summary>Drops the initializers no node reads any more (the float32 weights that were replaced).</summary>
    private static void RemoveUnused(GraphProto graph)
    {
        var read = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet();
        foreach (var unused in graph.Initializer.Where(i => !read.Contains(i.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }
    }
}
