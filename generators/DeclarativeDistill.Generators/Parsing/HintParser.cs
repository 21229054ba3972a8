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
            arguments.ReportWrongTypes(ExpectedTypes, null, diagnostics);
            string? teacherLayer = Name(arguments, "TeacherLayer");
            string? studentLayer = Name(arguments, "StudentLayer");
            var unwritten = new List<string>();
            foreach (var (property, name) in new[] { ("TeacherLayer", teacherLayer), ("StudentLayer", studentLayer) })
            {
                if (name is not null)
                {
                    continue;
                }
                if (arguments.IsWritten(property))
                {
                    // Written but empty (or of the wrong type, which ReportWrongTypes has said).
                    if (arguments.TryGetValue(property, out _))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintIncomplete, arguments.LocationOf(property), property + " to name a layer"));
                    }
                }
                else
                {
                    unwritten.Add(property);
                }
            }
            if (unwritten.Count > 0)
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

            hints.Add(new HintRequest(teacherLayer, studentLayer, weight, teacher, teacherName, arguments.Location,
                arguments.LocationOf("TeacherLayer"), arguments.LocationOf("StudentLayer"), arguments.LocationOf("Teacher")));
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

    /// <summary>A written, non-empty layer name; null otherwise.</summary>
    private static string? Name(AttributeArguments arguments, string property) =>
        arguments.TryGetValue(property, out var value) && value.Value is string { Length: > 0 } name && name.Trim().Length > 0 ? name.Trim() : null;
}
