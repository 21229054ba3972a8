using System;
using System.Linq;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// What an ONNX model takes and gives, as the build read it (ReadOnnxSignatures in the package's build folder writes a
/// <c>.onnx.signature</c> file per model): where the build copies it in the output (<see cref="TargetPath"/>, e.g.
/// <c>models/digits.onnx</c>), one example's shape and the number of classes, or why the model cannot be a teacher.
/// </summary>
internal sealed record OnnxSignature(string TargetPath, TensorShape? Input, int Outputs, string? Problem)
{
    public const string Extension = ".signature";

    /// <summary>The model's file name, without its folder.</summary>
    public string FileName => TargetPath.Substring(TargetPath.LastIndexOf('/') + 1);

    /// <summary>Reads a signature file; <paramref name="path"/> ends in <c>.onnx.signature</c>.</summary>
    public static OnnxSignature Parse(string path, string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        string file = Value(lines, "path")?.Text ?? FileNameOf(path);
        if (lines.FirstOrDefault(l => l.StartsWith("error ", StringComparison.Ordinal)) is { } error)
        {
            return new OnnxSignature(file, null, 0, "cannot be read: " + error.Substring(6));
        }
        var input = Value(lines, "input");
        var output = Value(lines, "output");
        if (input is null || output is null)
        {
            return new OnnxSignature(file, null, 0, "has no input or no output the build could read");
        }
        if (output.Value.Dims.Length != 2 || !int.TryParse(output.Value.Dims[1], out int outputs) || outputs < 1)
        {
            return new OnnxSignature(file, null, 0, $"gives [{string.Join(", ", output.Value.Dims)}]; a teacher gives [batch, classes]");
        }
        if (input.Value.Type == "int64")
        {
            // A text model (as Hugging Face exports them): token ids [batch, L], looked up in an embedding of V rows.
            var vocabulary = Value(lines, "vocabulary");
            if (input.Value.Dims.Length != 2 || !long.TryParse(input.Value.Dims[1], out long length) || length <= 0 || length > int.MaxValue)
            {
                return new OnnxSignature(file, null, 0,
                    $"reads int64 [{string.Join(", ", input.Value.Dims)}]; a text teacher reads token ids [batch, L] with L fixed (export it with a fixed sequence length)");
            }
            if (vocabulary is null || !long.TryParse(vocabulary.Value.Text, out long rows) || rows < 2)
            {
                return new OnnxSignature(file, null, 0,
                    $"reads int64 token ids '{input.Value.Text.Split(' ')[0]}' but the build found no embedding table they are looked up in (a Gather of an initializer), which gives the vocabulary");
            }
            return new OnnxSignature(file, TensorShape.Tokens(rows, length), outputs, null);
        }
        if (input.Value.Type != "float")
        {
            return new OnnxSignature(file, null, 0, $"reads {input.Value.Type} values; a teacher reads float32 features (float) or int64 token ids (int64)");
        }
        string[] example = input.Value.Dims.Skip(1).ToArray();
        if (input.Value.Dims.Length is not (2 or 4) || example.Any(d => !long.TryParse(d, out long n) || n <= 0 || n > int.MaxValue))
        {
            return new OnnxSignature(file, null, 0,
                $"reads [{string.Join(", ", input.Value.Dims)}]; a teacher reads [batch, features] or [batch, C, H, W] with every size but the batch fixed");
        }
        var shape = example.Length == 1
            ? TensorShape.Vector(long.Parse(example[0]))
            : TensorShape.Image(long.Parse(example[0]), long.Parse(example[1]), long.Parse(example[2]));
        return new OnnxSignature(file, shape, outputs, null);
    }

    /// <summary>A signature written before the <c>path</c> line: <c>name.onnx.signature</c>.</summary>
    private static string FileNameOf(string path)
    {
        string file = System.IO.Path.GetFileName(path);
        return file.Substring(0, file.Length - Extension.Length);
    }

    private static (string Text, string Type, string[] Dims)? Value(string[] lines, string kind)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(kind + " ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        string text = line.Substring(kind.Length + 1);
        var parts = line.Split(' ');
        return parts.Length < 4
            ? (parts.Length == 3 ? (text, parts[2], Array.Empty<string>()) : (text, "", Array.Empty<string>()))
            : (text, parts[2], parts[3].Split(','));
    }
}

/// <summary>
/// What the build read of ONNX models: their signatures, and whether the build step that reads them is part of this
/// build at all (the package's build files set <c>DeclarativeDistillReadsOnnxModels</c>; project references to a clone
/// do not import them unless told to).
/// </summary>
internal sealed record OnnxBuild(bool ReadsModels, EquatableArray<OnnxSignature> Signatures)
{
    /// <summary>The MSBuild property the package's build files set, as the generator sees it.</summary>
    public const string ReadsModelsProperty = "build_property.DeclarativeDistillReadsOnnxModels";
}
