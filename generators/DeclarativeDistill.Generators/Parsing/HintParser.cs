using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Parsing;

/// <summary>
/// Reads the <c>[Hint]</c> attributes of a student: what each names and where, and the mistakes that need no other
/// network to see (a missing layer name, a weight out of range). Whether the layers exist, and the regressor, come in
/// resolution, from the networks' summaries.
/// </summary>
internal static class HintParser
{
    private static readonly Dictionary<string, string> ExpectedTypes = new()
    {
        ["TeacherLayer"] = "a teacher layer's name, e.g. \"res2\"",
        ["StudentLayer"] = "a student layer's name, e.g. \"conv3\"",
        ["Weight"] = "a positive number, e.g. 1",
        ["Teacher"] = "the teacher giving the hint, e.g. typeof(MnistTeacher)",
    };

    /// <summary>The hints of <paramref name="student"/>, in source order.</summary>
    public static EquatableArray<HintRequest> Read(INamedTypeSymbol student, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var hints = new List<HintRequest>();
        foreach (var attribute in student.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!KnownNames.IsRuntimeType(attribute.AttributeClass, KnownNames.HintAttribute))
            {
                continue;
            }
            var arguments = new AttributeArguments(attribute, cancellationToken);
            bool wrongTypes = arguments.ReportWrongTypes(ExpectedTypes, "two layer names, e.g. [Hint(\"res2\", \"conv4\")]", diagnostics);
            var teacherLayer = arguments.PropertyOrPositional("TeacherLayer", 0);
            var studentLayer = arguments.PropertyOrPositional("StudentLayer", 1);
            var unwritten = new List<string>();
            foreach (var (property, argument) in new[] { ("TeacherLayer", teacherLayer), ("StudentLayer", studentLayer) })
            {
                if (!argument.Written)
                {
                    unwritten.Add(property);
                }
                else if (argument.Value.Kind != TypedConstantKind.Error && Name(argument.Value) is null)
                {
                    // Written but empty or null (a value of the wrong type is the compiler's error, and DD0007's).
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintIncomplete, argument.Location, property + " to name a layer"));
                }
            }
            if (unwritten.Count > 0 && !wrongTypes)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintIncomplete, arguments.Location, string.Join(" and ", unwritten)));
            }

            double weight = 1;
            if (arguments.TryGetDouble("Weight", out double value))
            {
                if (!(value > 0) || double.IsInfinity(value))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHintWeight, arguments.LocationOf("Weight"), Literals.Format(value)));
                }
                weight = value;
            }

            string? teacher = null, teacherName = null;
            if (arguments.TryGetValue("Teacher", out var type) && type.Value is INamedTypeSymbol { TypeKind: not TypeKind.Error } named)
            {
                var declaration = DeclarationChecks.Describe(named);
                (teacher, teacherName) = (declaration.FullyQualifiedName, declaration.DisplayName);
            }

            hints.Add(new HintRequest(Name(teacherLayer.Value), Name(studentLayer.Value), weight, teacher, teacherName, arguments.Location,
                teacherLayer.Location, studentLayer.Location, arguments.LocationOf("Teacher")));
        }
        return hints.ToEquatableArray();
    }

    /// <summary>
    /// DD0057 on every <c>[Hint]</c> of a class without <c>[Distill]</c>, which the distillation pipeline never sees.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> CheckHasDistill(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (NetworkParser.Find(type, KnownNames.DistillAttribute) is not null)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }
        string name = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        return context.Attributes
            .Select(a => DiagnosticInfo.Create(DiagnosticDescriptors.HintWithoutDistill, new AttributeArguments(a, cancellationToken).Location, name))
            .ToEquatableArray();
    }

    /// <summary>A non-empty layer name, trimmed; null otherwise.</summary>
    private static string? Name(TypedConstant value) =>
        value.Kind != TypedConstantKind.Error && value.Value is string name && name.Trim().Length > 0 ? name.Trim() : null;
}
