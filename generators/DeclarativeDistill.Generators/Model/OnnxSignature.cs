using System;
using System.Linq;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// What an ONNX model takes and gives, as the build read it (ReadOnnxSignatures in the package's build folder
/// writes <c>name.onnx.signature</c>): one example's shape and the number of classes, or why the model cannot be a
/// teacher.
/// </summary>
internal sealed record OnnxSignature(string FileName, TensorShape? Input, int Outputs, string? Problem)
{
    public const string Extension = ".signature";

    /// <summary>Reads a signature file; <paramref name="path"/> ends in <c>name.onnx.signature</c>.</summary>
    public static OnnxSignature Parse(string path, string text)
    {
        string file = System.IO.Path.GetFileName(path);
        file = file.Substring(0, file.Length - Extension.Length);
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
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
        if (input.Value.Type != "float")
        {
            return new OnnxSignature(file, null, 0, $"reads {input.Value.Type} values; a teacher reads float32 features");
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
        if (output.Value.Dims.Length != 2 || !int.TryParse(output.Value.Dims[1], out int classes) || classes < 1)
        {
            return new OnnxSignature(file, null, 0, $"gives [{string.Join(", ", output.Value.Dims)}]; a teacher gives [batch, classes]");
        }
        return new OnnxSignature(file, shape, classes, null);
    }

    private static (string Type, string[] Dims)? Value(string[] lines, string kind)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(kind + " ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }
        var parts = line.Split(' ');
        return parts.Length < 4 ? (parts.Length == 3 ? (parts[2], Array.Empty<string>()) : null) : (parts[2], parts[3].Split(','));
    }
}
