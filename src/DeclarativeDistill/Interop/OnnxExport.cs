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

    /// <summary>
    /// As <see cref="Int8"/>, and fully connected layers computed in int8 as well: each layer's input is quantized per
    /// run (<c>DynamicQuantizeLinear</c>: uint8 with a scale and zero point measured on the batch) and multiplied by
    /// the int8 weights in integers (<c>MatMulInteger</c>, which ONNX Runtime runs on VNNI's int8 instructions where the
    /// processor has them), then scaled back to float32. ONNX Runtime's "dynamic quantization", for MLPs: no calibration
    /// set is needed. Convolutions keep <see cref="Int8"/>'s form.
    /// </summary>
    DynamicInt8,
}

/// <summary>
/// Writes a generated network as an ONNX model, from its <see cref="NetworkDescription"/> and its state_dict: one
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

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> (through a temporary file, so a failure leaves no
    /// partial model). Generated networks call this from <c>ExportOnnx</c> with their description.
    /// </summary>
    /// <param name="model">The network (its parameters and buffers are read; it is not changed).</param>
    /// <param name="description">What its <c>forward</c> does in evaluation mode: its class's <c>Description</c>.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="weights">float32, or int8 weights.</param>
    /// <exception cref="ArgumentException">The model's tensors are not the ones the description names.</exception>
    public static void Write(Model model, NetworkDescription description, string path, OnnxWeights weights = OnnxWeights.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(Build(model, description, weights), path);
    }

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> in static int8 (QDQ) form, its activation ranges
    /// measured on <paramref name="calibration"/>'s examples (see <see cref="Calibration"/>), through a temporary file.
    /// Needs ONNX Runtime's native library (the <c>Microsoft.ML.OnnxRuntime</c> package), which runs the calibration.
    /// </summary>
    /// <exception cref="ArgumentException">The calibration set does not fit the network, or names a layer it does not have.</exception>
    public static void Write(Model model, NetworkDescription description, string path, Calibration calibration)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(Build(model, description, calibration), path);
    }

    /// <summary>
    /// Writes a generated network as a static int8 ONNX model calibrated on <paramref name="calibration"/>:
    /// <c>student.ExportOnnx("student.int8.onnx", new Calibration(train))</c>. See <see cref="Calibration"/>.
    /// </summary>
    public static void ExportOnnx(this IGeneratedNetwork network, string path, Calibration calibration)
    {
        ArgumentNullException.ThrowIfNull(network);
        var model = network as Model ?? throw new ArgumentException($"{network.GetType().Name} is not a TorchSharp module.", nameof(network));
        Write(model, network.Description, path, calibration);
    }

    /// <summary>The static int8 ONNX model of <paramref name="model"/>, in memory: <see cref="Write(Model, NetworkDescription, string, Calibration)"/>.</summary>
    public static ModelProto Build(Model model, NetworkDescription description, Calibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Trainer.CheckData(model, description.Input, description.OutputSize, calibration.Data, "calibration set");
        var floatModel = Build(model, description, OnnxWeights.Float32);
        var folded = QdqRewriter.FoldBatchNorms(floatModel);
        var plan = QdqRewriter.Choose(folded, calibration.KeepFloat);
        if (plan.Quantized.Count == 0)
        {
            throw new ArgumentException(
                $"Calibration.KeepFloat keeps every layer of {model.GetName()} float32 ({string.Join(", ", plan.Kept)}), so its int8 file would be its float32 one.",
                nameof(calibration));
        }
        Dictionary<string, (float, float)> ranges;
        try
        {
            ranges = ActivationRanges.Measure(folded, plan.Calibrated, calibration, description.Input.Size);
        }
        catch (TypeInitializationException e) when (e.InnerException is DllNotFoundException)
        {
            throw new InvalidOperationException(
                "A calibrated int8 export runs the network in ONNX Runtime, whose native library is missing: add the Microsoft.ML.OnnxRuntime package to the application.", e);
        }
        var result = QdqRewriter.Rewrite(folded, plan, ranges, calibration.ReduceRange);
        var kept = plan.Kept;
        int examples = Math.Min(calibration.Examples, calibration.Data.Count);
        result.DocString += $", static int8 (QDQ): activations uint8 calibrated by {calibration.Method} on {examples} examples"
            + (kept.Count > 0 ? $", {string.Join(", ", kept)} kept float32" : "");
        result.MetadataProps.Add(new StringStringEntryProto
        {
            Key = "quantization",
            Value = System.Text.Json.JsonSerializer.Serialize(new
            {
                form = "QDQ",
                activations = "uint8 per tensor",
                weights = calibration.ReduceRange ? "int8 per output channel, 7 bits" : "int8 per output channel",
                calibration = calibration.Method.ToString(),
                examples,
                float32_layers = kept,
            }),
        });
        return result;
    }

    private static void WriteAtomically(ModelProto proto, string path)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            proto.WriteTo(file);
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The ONNX model of <paramref name="model"/>, in memory.</summary>
    public static ModelProto Build(Model model, NetworkDescription description, OnnxWeights weights = OnnxWeights.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(description);
        description.CheckAgainst(model);
        var input = description.Input;
        int outputSize = description.OutputSize;
        using var quantized = weights is OnnxWeights.Int8 or OnnxWeights.DynamicInt8 ? Int8Quantization.Quantize(model) : null;
        var graph = new OnnxGraph(model, quantized, integerMatMul: weights == OnnxWeights.DynamicInt8);
        string x = input.IsTokens ? TokenIds : "input";
        var network = model as IGeneratedNetwork;
        if (input.IsTokens)
        {
            // Text: int64 ids and Hugging Face's attention mask (1 where there is a token); the readouts average over it.
            graph.Mask = graph.Node("Cast", new[] { AttentionMask }, OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float));
        }
        else if (network?.InputNormalization is not null)
        {
            // The network's first step: raw features standardised, one mean and std per feature of the flat input.
            string mean = graph.Float(Modules.InputNormalization.Key + ".mean");
            string std = graph.Float(Modules.InputNormalization.Key + ".std");
            x = graph.Node("Div", new[] { graph.Node("Sub", new[] { x, mean }), std });
        }
        if (input.IsImage)
        {
            x = graph.Node("Reshape", new[] { x, graph.Int64s("image_shape", -1, input.Channels, input.Height, input.Width) });
        }
        foreach (var operation in description.Operations)
        {
            x = operation.Export(graph, x);
        }
        graph.Output(x, "logits");

        var result = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "DeclarativeDistill",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"{model.GetName()}: {input} → {outputSize} logits" + weights switch
            {
                OnnxWeights.Int8 => ", int8 weights",
                OnnxWeights.DynamicInt8 => ", int8 weights, fully connected layers in int8 with inputs quantized per run",
                _ => "",
            },
            Graph = graph.Graph,
        };
        result.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in Metadata(network, input))
        {
            result.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        result.Graph.Name = model.GetName();
        var inputs = input.IsTokens
            ? new[] { (TokenIds, TensorProto.Types.DataType.Int64), (AttentionMask, TensorProto.Types.DataType.Int64) }
            : new[] { ("input", TensorProto.Types.DataType.Float) };
        foreach (var (name, type) in inputs)
        {
            result.Graph.Input.Add(Value(name, type, new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = input.Size }));
        }
        result.Graph.Output.Add(Value("logits", new TensorShapeProto.Types.Dimension { DimParam = "batch" }, new TensorShapeProto.Types.Dimension { DimValue = outputSize }));
        return result;
    }

    /// <summary>
    /// What an application needs besides the graph, as the file's metadata: the input layout, whether the graph
    /// standardises raw values (and with what), and the class names when the network has them.
    /// </summary>
    private static IEnumerable<(string Key, string Value)> Metadata(IGeneratedNetwork? network, FeatureShape input)
    {
        yield return ("input_shape", input.ToString());
        yield return ("input_layout", input.IsImage ? "flat rows of C*H*W values, channel by channel, row by row"
            : input.IsTokens ? $"{TokenIds}: int64 token ids, {input.Size} per example, 0 the padding; {AttentionMask}: int64, 1 where there is a token"
            : "flat rows of features");
        if (network?.InputNormalization is { } normalization)
        {
            yield return ("input_normalization", System.Text.Json.JsonSerializer.Serialize(new { mean = normalization.Mean, std = normalization.Std, per = input.IsImage ? "channel" : "feature" }));
            yield return ("input_values", "raw: the graph standardises them");
        }
        if (network?.ClassNames is { } names)
        {
            yield return ("class_names", System.Text.Json.JsonSerializer.Serialize(names));
        }
        if (network?.Tokenizer() is { } tokenizer)
        {
            yield return ("tokenizer", tokenizer.ToJson()); // TextTokenizer.FromJson rebuilds it in an application
        }
    }

    /// <summary>A text network's first input: int64 token ids [batch, L], 0 the padding.</summary>
    public const string TokenIds = "input_ids";

    /// <summary>A text network's second input: int64 [batch, L], 1 where there is a token and 0 on padding.</summary>
    public const string AttentionMask = "attention_mask";

    private static ValueInfoProto Value(string name, params TensorShapeProto.Types.Dimension[] dimensions) =>
        Value(name, TensorProto.Types.DataType.Float, dimensions);

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params TensorShapeProto.Types.Dimension[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dimensions);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
