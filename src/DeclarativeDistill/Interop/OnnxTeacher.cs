using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace DeclarativeDistill;

/// <summary>
/// A classifier in an ONNX file, run by ONNX Runtime, as a teacher: its <c>forward</c> hands a batch to the file's
/// model and returns its outputs (logits or log-probabilities) as a tensor. A teacher needs no gradients, so the
/// file's model never has to be trainable, and with teacher-output caching it runs once over the transfer set.
/// <para>
/// Declare it as a hand-written teacher, with its shapes, and derive it from this class:
/// <code>
/// [Teacher(Input = "784", Outputs = 10)]
/// public partial class DigitsOnnx : OnnxTeacher
/// {
///     public DigitsOnnx() : base("digits.onnx", InputShape, OutputSize) { }
/// }
/// </code>
/// A text model (as Hugging Face and <c>torch.onnx.export</c> write them) reads int64 token ids, and may also read
/// <c>attention_mask</c> (given 1 on tokens, 0 on padding) and <c>token_type_ids</c> (given 0): declare it with
/// <c>Input = "tokens(V, L)"</c>, or with <c>[Teacher(Onnx = ...)]</c>, which reads V from the file's embedding table.
/// Students are checked against the declared shapes at compile time; the constructor checks the file against
/// them, so a file that reads or gives something else fails at once, naming both. The application needs ONNX
/// Runtime's native library: add the <c>Microsoft.ML.OnnxRuntime</c> package (DeclarativeDistill references only
/// its managed API, as it does TorchSharp's).
/// </para>
/// </summary>
public abstract class OnnxTeacher : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly long[] exampleShape;
    private readonly int outputs;

    /// <param name="path">The .onnx file; a relative path is looked up beside the application first, then in the working directory.</param>
    /// <param name="inputShape">The declared <c>InputShape</c>: what one example of the file's first input is.</param>
    /// <param name="outputSize">The declared <c>OutputSize</c>: the width of the file's first output.</param>
    /// <exception cref="FileNotFoundException">The file is not there.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or its shapes are not the declared ones.</exception>
    protected OnnxTeacher(string path, string inputShape, int outputSize)
        : base(Path.GetFileNameWithoutExtension(path ?? throw new ArgumentNullException(nameof(path))))
    {
        string file = Locate(path);
        var declared = FeatureShape.Parse(inputShape);
        try
        {
            session = new InferenceSession(file);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{file} is not an ONNX model ONNX Runtime can load: {e.Message}", e);
        }
        var (name, input) = session.InputMetadata.First();
        var output = session.OutputMetadata.First().Value;
        long[] fileExample = input.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        long[] wanted = declared.BatchShape(1)[1..];
        tokens = declared.IsTokens;
        bool inputFits = tokens
            ? input.ElementType == typeof(long) && fileExample.Length == 1 && fileExample[0] == declared.Size
            : input.ElementType == typeof(float) && (fileExample.SequenceEqual(wanted) || (fileExample.Length == 1 && fileExample[0] == declared.Size));
        int fileOutputs = output.Dimensions.Length == 2 ? output.Dimensions[1] : -1;
        if (!inputFits || fileOutputs != outputSize)
        {
            session.Dispose();
            throw new InvalidDataException(
                $"{Path.GetFileName(file)} reads {OnnxTypeName(input.ElementType)} [batch, {string.Join(", ", fileExample)}] and gives [batch, {string.Join(", ", output.Dimensions.Skip(1))}], "
                + $"but {GetType().Name} is declared with Input = \"{inputShape}\" and Outputs = {outputSize}.");
        }
        inputName = name;
        exampleShape = fileExample;
        outputs = outputSize;
        fixedBatch = input.Dimensions.Length > 0 && input.Dimensions[0] > 0 ? input.Dimensions[0] : 0;
        // A text model as Hugging Face exports it may also read the attention mask (1 on tokens) and token types (0).
        otherInputs = session.InputMetadata.Keys.Skip(1).ToArray();
        var unknown = otherInputs.Where(n => n is not (AttentionMask or TokenTypes)).ToList();
        if (unknown.Count > 0 || (!tokens && otherInputs.Length > 0))
        {
            session.Dispose();
            throw new InvalidDataException(
                $"{Path.GetFileName(file)} also reads {string.Join(", ", otherInputs)}; a teacher reads one input, or token ids with {AttentionMask} and {TokenTypes}.");
        }
    }

    private const string AttentionMask = "attention_mask";
    private const string TokenTypes = "token_type_ids";
    private readonly bool tokens;
    private readonly string[] otherInputs;
    private readonly int fixedBatch; // 0: the file's batch dimension is dynamic

    /// <summary>
    /// An element type as ONNX names it (<c>float</c>, <c>int64</c>), as DD0056 does at build time; not the .NET name
    /// (<c>Single</c>, <c>Int64</c>) that ONNX Runtime's metadata holds.
    /// </summary>
    internal static string OnnxTypeName(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Single => "float",
        TypeCode.Double => "double",
        TypeCode.SByte => "int8",
        TypeCode.Byte => "uint8",
        TypeCode.Int16 => "int16",
        TypeCode.UInt16 => "uint16",
        TypeCode.Int32 => "int32",
        TypeCode.UInt32 => "uint32",
        TypeCode.Int64 => "int64",
        TypeCode.UInt64 => "uint64",
        TypeCode.Boolean => "bool",
        TypeCode.String => "string",
        _ when type == typeof(Microsoft.ML.OnnxRuntime.Float16) => "float16",
        _ when type == typeof(Microsoft.ML.OnnxRuntime.BFloat16) => "bfloat16",
        _ => type.Name,
    };

    /// <summary>The file's model on <paramref name="input"/> ([B, ...] with the declared features per example): [B, Outputs] on the input's device.</summary>
    public override Tensor forward(Tensor input)
    {
        int batch = checked((int)input.shape[0]);
        using var cpu = input.detach().to_type(ScalarType.Float32).cpu().contiguous();
        float[] values = cpu.data<float>().ToArray();
        int size = values.Length / Math.Max(batch, 1);
        // A model exported without a dynamic batch takes exactly its batch: run it on slices of that many, the last padded.
        int step = fixedBatch > 0 ? fixedBatch : Math.Max(batch, 1);
        var logits = new float[batch * outputs];
        for (int start = 0; start < batch; start += step)
        {
            var slice = new float[step * size];
            Array.Copy(values, start * size, slice, 0, Math.Min(step, batch - start) * size);
            float[] sliceLogits = Run(slice, step);
            Array.Copy(sliceLogits, 0, logits, start * outputs, Math.Min(step, batch - start) * outputs);
        }
        return tensor(logits, new long[] { batch, outputs }).to(input.device);
    }

    /// <summary>The file's model on <paramref name="batch"/> examples of flat values.</summary>
    private float[] Run(float[] values, int batch)
    {
        var dimensions = new[] { batch }.Concat(exampleShape.Select(d => (int)d)).ToArray();
        var inputs = new List<NamedOnnxValue>();
        if (tokens)
        {
            long[] ids = values.Select(v => (long)v).ToArray();
            inputs.Add(NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<long>(ids, dimensions)));
            foreach (string other in otherInputs)
            {
                long[] extra = other == AttentionMask ? ids.Select(id => id == 0 ? 0L : 1L).ToArray() : new long[ids.Length];
                inputs.Add(NamedOnnxValue.CreateFromTensor(other, new DenseTensor<long>(extra, dimensions)));
            }
        }
        else
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(values, dimensions)));
        }
        using var results = session.Run(inputs);
        return results.First().AsTensor<float>().ToArray();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            session.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// A rooted path as it is; a relative one beside the application first (where the build copies the model, under its
    /// path in the project: <c>models/digits.onnx</c>), then by its file name beside the application (a model that lay
    /// outside the project is copied without its folders), then in the working directory.
    /// </summary>
    private static string Locate(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : throw new FileNotFoundException($"No ONNX model at {path}.", path);
        }
        var places = new[]
        {
            Path.Combine(AppContext.BaseDirectory, path),
            Path.Combine(AppContext.BaseDirectory, Path.GetFileName(path)),
            Path.GetFullPath(path),
        };
        return places.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"No ONNX model '{path}': looked at {string.Join(", ", places.Distinct())}. Add the model to the project as "
                + "<AdditionalFiles Include=\"...\" /> (the build copies it beside the application) or give a full path.", path);
    }
}
