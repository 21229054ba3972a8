using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// Reads the <c>[Hint]</c> attributes of a student: what each names and where, and the mistakes that need no other
/// network to see (a missing layer name). Whether the layers exist, the weight's range and the regressor come in
/// the analysis, from the networks' summaries.
/// </summary>
internal static class HintReader
{
    private const string TeacherLayerName = nameof(HintAttribute.TeacherLayer);
    private const string StudentLayerName = nameof(HintAttribute.StudentLayer);
    private const string WeightName = nameof(HintAttribute.Weight);
    private const string TeacherName = nameof(HintAttribute.Teacher);

    private static readonly Dictionary<string, string> ExpectedTypes = new()
    {
        [TeacherLayerName] = "a teacher layer's name, e.g. \"res2\"",
        [StudentLayerName] = "a student layer's name, e.g. \"conv3\"",
        [WeightName] = "a positive number, e.g. 1",
        [TeacherName] = "the teacher giving the hint, e.g. typeof(MnistTeacher)",
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
            var teacherLayer = arguments.PropertyOrPositional(TeacherLayerName, 0);
            var studentLayer = arguments.PropertyOrPositional(StudentLayerName, 1);
            var unwritten = new List<string>();
            foreach (var (property, argument) in new[] { (TeacherLayerName, teacherLayer), (StudentLayerName, studentLayer) })
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

            double weight = arguments.TryGetDouble(WeightName, out double value) ? value : HintAttribute.DefaultWeight;

            string? teacher = null, teacherName = null;
            if (arguments.TryGetValue(TeacherName, out var type) && type.Value is INamedTypeSymbol { TypeKind: not TypeKind.Error } named)
            {
                var declaration = ClassChecks.Describe(named);
                (teacher, teacherName) = (declaration.FullyQualifiedName, declaration.DisplayName);
            }

            hints.Add(new HintRequest(Name(teacherLayer.Value), Name(studentLayer.Value), weight, teacher, teacherName, arguments.Location,
                teacherLayer.Location, studentLayer.Location, arguments.LocationOf(TeacherName), arguments.LocationOf(WeightName)));
        }
        return hints.ToEquatableArray();
    }

    /// <summary>
    /// DD0057 on every <c>[Hint]</c> of a class without <c>[Distill]</c>, which the distillation pipeline never sees.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> CheckHasDistill(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (KnownNames.Find(type, KnownNames.DistillAttribute) is not null)
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
