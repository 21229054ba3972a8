using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>How the weights of an exported network are stored.</summary>
public enum OnnxWeights
{
    /// <summary>float32: the file computes what <c>forward</c> computes, to float32 rounding.</summary>
    Float32,

    /// <summary>
    /// Fully connected and convolution weights as int8 with a float32 scale per output channel
    /// (<see cref="Int8Quantization"/>), dequantized by <c>DequantizeLinear</c> nodes: about a quarter of the size.
    /// </summary>
    Int8,
}

/// <summary>
/// Writes a generated network as an ONNX model, from the steps of its <c>forward</c> and its state_dict: one
/// float32 input <c>input</c> of shape [batch, InputSize] (the flat features a dataset holds) and one float32
/// output <c>logits</c> of shape [batch, OutputSize], the batch dimension dynamic. Opset 17 (ONNX 1.12, ONNX
/// Runtime 1.14 and later): old enough for most runtimes, and it has everything these networks need (GELU is
/// written with <c>Erf</c>, as its exact form). The protobuf messages are OnnxSharp's, generated from onnx.proto3.
/// </summary>
public static class OnnxExport
{
    /// <summary>The operator set the files declare.</summary>
    public const int Opset = 17;

    private const long IrVersion = 8; // the IR version of ONNX 1.12, whose default opset is 17
    private const float BatchNormEpsilon = 1e-5f; // the generator builds every bn with PyTorch's default

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> (through a temporary file, so a failure leaves no
    /// partial model). Generated networks call this from <c>ExportOnnx</c> with their steps.
    /// </summary>
    /// <param name="model">The network (its parameters and buffers are read; it is not changed).</param>
    /// <param name="inputShape">Its <c>InputShape</c>: <c>784</c> or <c>1x28x28</c>.</param>
    /// <param name="outputSize">Its <c>OutputSize</c>.</param>
    /// <param name="steps">Its <c>forward</c> in evaluation mode, step by step.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="weights">float32, or int8 weights.</param>
    /// <exception cref="ArgumentException">A step names a tensor the model does not have.</exception>
    public static void Write(Model model, string inputShape, int outputSize, IReadOnlyList<NetworkStep> steps, string path, OnnxWeights weights = OnnxWeights.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var proto = Build(model, FeatureShape.Parse(inputShape), outputSize, steps, weights);
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            proto.WriteTo(file);
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The ONNX model of <paramref name="model"/>, in memory.</summary>
    public static ModelProto Build(Model model, FeatureShape input, int outputSize, IReadOnlyList<NetworkStep> steps, OnnxWeights weights = OnnxWeights.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(steps);
        using var quantized = weights == OnnxWeights.Int8 ? Int8Quantization.Quantize(model) : null;
        var graph = new GraphBuilder(model, quantized);
        string x = "input";
        if (input.IsImage)
        {
            x = graph.Node("Reshape", new[] { x, graph.Int64s("image_shape", -1, input.Channels, input.Height, input.Width) });
        }
        foreach (var step in steps)
        {
            x = graph.Step(step, x);
        }
        graph.Output(x, "logits");

        var result = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "DeclarativeDistill",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{model.GetName()}: {input} → {outputSize} logits" + (weights == OnnxWeights.Int8 ? ", int8 weights" : ""),
            Graph = graph.Graph,
        };
        result.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        result.Graph.Name = model.GetName();
        result.Graph.Input.Add(Value("input", new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = input.Size }));
        result.Graph.Output.Add(Value("logits", new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = outputSize }));
        return result;
    }

    private static ValueInfoProto Value(string name, params TensorShapeProto.Types.Dimension[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dimensions);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>Nodes and initializers, each value named once.</summary>
    private sealed class GraphBuilder
    {
        private readonly Dictionary<string, Tensor> state;
        private readonly Dictionary<string, QuantizedLayer> quantized;
        private readonly HashSet<string> names = new();
        private int counter;

        public GraphBuilder(Model model, QuantizedWeights? weights)
        {
            state = model.state_dict().ToDictionary(p => p.Key, p => p.Value);
            quantized = weights?.Layers.ToDictionary(l => l.Key) ?? new Dictionary<string, QuantizedLayer>();
        }

        public GraphProto Graph { get; } = new();

        public string Step(NetworkStep step, string x) => step.Kind switch
        {
            StepKind.Convolution => Convolution(step.Module!, x, step.Stride, step.Padding, step.Groups),
            StepKind.BatchNorm => BatchNorm(step.Module!, x),
            StepKind.Activation => Activate(step.Function, x),
            StepKind.MaxPool => Node("MaxPool", new[] { x }, Ints("kernel_shape", step.Kernel, step.Kernel), Ints("strides", step.Stride, step.Stride)),
            StepKind.AveragePool => Node("AveragePool", new[] { x }, Ints("kernel_shape", step.Kernel, step.Kernel), Ints("strides", step.Stride, step.Stride)),
            StepKind.GlobalAveragePool => Node("Flatten", new[] { Node("GlobalAveragePool", new[] { x }) }, Int("axis", 1)),
            StepKind.Flatten => Node("Flatten", new[] { x }, Int("axis", 1)),
            StepKind.Linear => Linear(step.Module!, x),
            StepKind.Residual => Residual(step.Module!, x, step.Stride, step.Function),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "Unknown step."),
        };

        public void Output(string value, string name) => Graph.Node.Add(new NodeProto { OpType = "Identity", Name = "logits", Input = { value }, Output = { name } });

        private string Convolution(string module, string x, int stride, int padding, int groups)
        {
            var weight = Tensor($"{module}.weight");
            var inputs = new List<string> { x, Weight($"{module}.weight") };
            if (state.ContainsKey($"{module}.bias"))
            {
                inputs.Add(Float($"{module}.bias"));
            }
            return Node("Conv", inputs,
                Ints("kernel_shape", weight.shape[2], weight.shape[3]),
                Ints("strides", stride, stride),
                Ints("pads", padding, padding, padding, padding),
                Int("group", groups));
        }

        private string BatchNorm(string module, string x) => Node("BatchNormalization",
            new[] { x, Float($"{module}.weight"), Float($"{module}.bias"), Float($"{module}.running_mean"), Float($"{module}.running_var") },
            new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = BatchNormEpsilon });

        private string Linear(string module, string x) =>
            Node("Gemm", new[] { x, Weight($"{module}.weight"), Float($"{module}.bias") }, Int("transB", 1));

        /// <summary>act(bn2(conv2(act(bn1(conv1(x))))) + shortcut), the shortcut a 1×1 conv and bn when the block has one.</summary>
        private string Residual(string module, string x, int stride, Activation function)
        {
            var y = Activate(function, BatchNorm($"{module}.bn1", Convolution($"{module}.conv1", x, stride, 1, 1)));
            y = BatchNorm($"{module}.bn2", Convolution($"{module}.conv2", y, 1, 1, 1));
            string shortcut = state.ContainsKey($"{module}.downsample.0.weight")
                ? BatchNorm($"{module}.downsample.1", Convolution($"{module}.downsample.0", x, stride, 0, 1))
                : x;
            return Activate(function, Node("Add", new[] { y, shortcut }));
        }

        private string Activate(Activation function, string x) => function switch
        {
            Activation.Tanh => Node("Tanh", new[] { x }),
            Activation.Sigmoid => Node("Sigmoid", new[] { x }),
            // Exact GELU, as TorchSharp's gelu: x · ½ · (1 + erf(x / √2)).
            Activation.GELU => Node("Mul", new[]
            {
                x,
                Node("Mul", new[] { Node("Add", new[] { Node("Erf", new[] { Node("Div", new[] { x, Scalar("sqrt2", MathF.Sqrt(2)) }) }), Scalar("one", 1) }), Scalar("half", 0.5f) }),
            }),
            _ => Node("Relu", new[] { x }),
        };

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

        /// <summary>A weight of a convolution or fully connected layer: float32, or int8 dequantized per output channel.</summary>
        private string Weight(string key)
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
        private string Float(string key)
        {
            var tensor = Tensor(key);
            using var data = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
            return Initializer(key, TensorProto.Types.DataType.Float, data.shape, Bytes(data));
        }

        private string Scalar(string name, float value) =>
            Initializer(name, TensorProto.Types.DataType.Float, Array.Empty<long>(), BitConverter.GetBytes(value));

        public string Int64s(string name, params long[] values) =>
            Initializer(name, TensorProto.Types.DataType.Int64, new long[] { values.Length }, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

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

        private Tensor Tensor(string key) => state.TryGetValue(key, out var tensor)
            ? tensor
            : throw new ArgumentException($"The network has no tensor '{key}' for its ONNX export; its steps do not match its modules.");

        /// <summary>The tensor's values as little-endian bytes (ONNX's raw_data), on every platform .NET runs on.</summary>
        private static byte[] Bytes(Tensor tensor)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            return cpu.bytes.ToArray();
        }

        private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static AttributeProto Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.AddRange(values);
            return attribute;
        }
    }
}
