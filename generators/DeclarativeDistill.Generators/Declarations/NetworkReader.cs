using System.Collections.Generic;
using System.Threading;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// The attribute transform of the network pipelines: reads a <c>[Teacher]</c> or <c>[Student]</c> class into a
/// <see cref="NetworkDeclaration"/>. It runs again for every declaration after every edit, so it only reads what needs
/// the compiler (arguments and their places, the class's shape and members) and judges nothing else.
/// </summary>
internal static class NetworkReader
{
    private static readonly Dictionary<string, string> ExpectedTypes = new()
    {
        [nameof(NetworkAttribute.Layers)] = "a string of layer widths, e.g. \"784,800,800,10\"",
        [nameof(NetworkAttribute.Activation)] = "an Activation: Activation.ReLU, Tanh, GELU or Sigmoid",
        [nameof(NetworkAttribute.Dropout)] = "a number in [0, 1), e.g. 0.5",
        [nameof(TeacherAttribute.Input)] = "one example's shape, e.g. \"1x28x28\" or \"784\"",
        [nameof(TeacherAttribute.Outputs)] = "the number of classes, e.g. 10",
        [nameof(TeacherAttribute.Onnx)] = "the ONNX model's file, e.g. \"digits.onnx\"",
    };

    /// <summary>
    /// The transform of the <c>[Teacher]</c> pipeline. It owns every class with <c>[Teacher]</c>, including
    /// teacher assistants that are students too.
    /// </summary>
    public static NetworkDeclaration? ReadTeacher(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Read((INamedTypeSymbol)context.TargetSymbol, cancellationToken);

    /// <summary>The transform of the <c>[Student]</c> pipeline: null for classes the teacher pipeline owns.</summary>
    public static NetworkDeclaration? ReadStudent(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        return KnownNames.Find(type, KnownNames.TeacherAttribute) is null ? Read(type, cancellationToken) : null;
    }

    /// <summary>What <paramref name="type"/> declares as a network; null when it has neither attribute.</summary>
    public static NetworkDeclaration? Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var teacherData = KnownNames.Find(type, KnownNames.TeacherAttribute);
        var studentData = KnownNames.Find(type, KnownNames.StudentAttribute);
        var teacher = teacherData is null ? null : new AttributeArguments(teacherData, cancellationToken);
        var student = studentData is null ? null : new AttributeArguments(studentData, cancellationToken);
        var primary = teacher ?? student;
        if (primary is null)
        {
            return null;
        }

        bool declaresShapes = teacher is not null && (teacher.IsWritten(nameof(TeacherAttribute.Input)) || teacher.IsWritten(nameof(TeacherAttribute.Outputs)));
        var source = teacher is not null && teacher.IsWritten(nameof(TeacherAttribute.Onnx)) ? NetworkSource.Onnx
            : declaresShapes ? NetworkSource.HandWritten
            : NetworkSource.Generated;

        var diagnostics = new List<DiagnosticInfo>();
        ClassChecks.Check(type, teacher is null ? "Student" : "Teacher", primary.Location, diagnostics, handWritten: declaresShapes);
        teacher?.ReportWrongTypes(ExpectedTypes, null, diagnostics);
        student?.ReportWrongTypes(ExpectedTypes, null, diagnostics);

        var members = ClassChecks.Members(type);
        var declaration = ClassChecks.Describe(type);
        return new NetworkDeclaration
        {
            Type = declaration,
            MessageName = members.IsEmpty ? null : ClassChecks.MessageName(type, declaration),
            Source = source,
            Teacher = teacher?.Capture(),
            Student = student?.Capture(),
            Members = members,
            IsModule = source == NetworkSource.HandWritten && IsModule(type),
            Diagnostics = diagnostics.ToEquatableArray(),
        };
    }

    /// <summary>Whether <paramref name="type"/> derives from TorchSharp's <c>Module&lt;Tensor, Tensor&gt;</c>.</summary>
    private static bool IsModule(INamedTypeSymbol type)
    {
        const string Module = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == Module)
            {
                return true;
            }
        }
        return false;
    }
}
