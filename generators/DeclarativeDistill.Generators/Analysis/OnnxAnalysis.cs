using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// A classifier in an ONNX file: <c>[Teacher(Onnx = "digits.onnx")]</c>. Its shapes come from the file, which the build
/// reads (see <see cref="OnnxSignature"/>); until they are joined in, the spec names the file only.
/// </summary>
internal static class OnnxAnalysis
{
    public static NetworkResult Analyse(NetworkDeclaration declaration)
    {
        var diagnostics = declaration.Diagnostics.ToList();
        var teacher = declaration.Teacher!;
        string name = declaration.Type.Name;
        void Report(LocationInfo? location, string problem) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandWrittenDeclaration, location, name, problem));

        if (declaration.Student is { } student)
        {
            Report(student.Location, "an ONNX teacher cannot also be a [Student]: distillation trains generated networks");
        }
        foreach (string property in new[]
            {
                nameof(NetworkAttribute.Layers), nameof(TeacherAttribute.Input), nameof(TeacherAttribute.Outputs),
                nameof(NetworkAttribute.Activation), nameof(NetworkAttribute.Dropout),
            })
        {
            if (teacher.IsWritten(property))
            {
                Report(teacher.LocationOf(property), $"{property} does not go with Onnx: the model's file says what it takes and gives; remove {property}");
            }
        }
        const string OnnxName = nameof(TeacherAttribute.Onnx);
        teacher.TryGetText(OnnxName, out string? file);
        if (string.IsNullOrWhiteSpace(file))
        {
            Report(teacher.LocationOf(OnnxName), "Onnx names no file: give the model's file, e.g. Onnx = \"digits.onnx\"");
        }
        // The generated part declares the base class, the constructors and forward (OnnxTeacher's).
        MemberConflicts.Check(declaration.Members, declaration.MessageName, network: true, HandWrittenAnalysis.Members, teacher.Location, diagnostics);

        NetworkSpec? spec = null;
        if (!diagnostics.Any(d => d.IsError))
        {
            spec = new NetworkSpec
            {
                Type = declaration.Type,
                Role = NetworkRole.Teacher,
                Source = NetworkSource.Onnx,
                Input = TensorShape.Vector(1),
                OutputSize = 0,
                OnnxFile = file,
                OnnxLocation = teacher.LocationOf(OnnxName),
            };
        }
        return new NetworkResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// Joins an ONNX teacher with what the build read of its file: its input shape and classes, or DD0056 when the
    /// build did not read the file, copies it elsewhere than the declared path, or the model cannot be a teacher. Other
    /// networks pass through.
    /// </summary>
    public static NetworkResult JoinSignature(NetworkResult result, OnnxBuild build)
    {
        if (result.Network is not { IsOnnx: true } network)
        {
            return result;
        }
        string declared = network.OnnxFile!.Replace('\\', '/');
        while (declared.StartsWith("./", System.StringComparison.Ordinal))
        {
            declared = declared.Substring(2);
        }
        string fileName = declared.Substring(declared.LastIndexOf('/') + 1);
        var signature = build.Signatures.FirstOrDefault(s => string.Equals(s.TargetPath, declared, System.StringComparison.OrdinalIgnoreCase));
        string? problem = null;
        if (signature is null)
        {
            var sameName = build.Signatures.Where(s => string.Equals(s.FileName, fileName, System.StringComparison.OrdinalIgnoreCase)).ToList();
            if (sameName.Count == 1 && System.IO.Path.IsPathRooted(network.OnnxFile!))
            {
                signature = sameName[0]; // a full path is loaded from there; the build read the same file
            }
            else if (sameName.Count > 0)
            {
                problem = $"is not where the build puts it: the build copies {string.Join(" and ", sameName.Select(s => $"'{s.TargetPath}'"))} to the output, "
                    + $"where the application looks for the declared path; write Onnx = \"{sameName[0].TargetPath}\"";
            }
            else
            {
                problem = build.ReadsModels
                    ? $"was not read by the build: add <AdditionalFiles Include=\"{network.OnnxFile}\" /> to the project"
                    : "was not read by the build: reading ONNX models at build time is a step of DeclarativeDistill's build files, which the package "
                      + "brings and project references do not; import them in the project, "
                      + "<Import Project=\"path/to/DeclarativeDistill/src/DeclarativeDistill/build/DeclarativeDistill.targets\" />, "
                      + $"and add <AdditionalFiles Include=\"{network.OnnxFile}\" />";
            }
        }
        problem ??= signature!.Problem;
        if (problem is not null)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.OnnxModelUnreadable, network.OnnxLocation, network.Type.Identifier, network.OnnxFile!, problem);
            return new NetworkResult(null, result.Diagnostics.Concat(new[] { diagnostic }).ToEquatableArray());
        }
        return result with { Network = network with { Input = signature!.Input!, OutputSize = signature.Outputs } };
    }
}
