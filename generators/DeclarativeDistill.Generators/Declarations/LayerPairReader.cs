using System.Collections.Generic;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// Reads the layers a <c>[Hint]</c> or a layer method pairs (<see cref="LayerPairAttribute"/>: in order, or by
/// <c>TeacherLayer</c> and <c>StudentLayer</c>, and its <c>Teacher</c>), and the one mistake that needs no network to
/// see: a layer not named. Whether the layers exist comes in the analysis.
/// </summary>
internal static class LayerPairReader
{
    public const string TeacherLayerName = nameof(LayerPairAttribute.TeacherLayer);
    public const string StudentLayerName = nameof(LayerPairAttribute.StudentLayer);
    public const string TeacherName = nameof(LayerPairAttribute.Teacher);

    /// <summary>What <see cref="LayerPairAttribute"/>'s own properties take, for DD0007.</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedTypes = new Dictionary<string, string>
    {
        [TeacherLayerName] = "a teacher layer's name, e.g. \"res2\"",
        [StudentLayerName] = "a student layer's name, e.g. \"conv3\"",
        [TeacherName] = "the teacher whose layer it reads, e.g. typeof(MnistTeacher)",
    };

    /// <summary>
    /// The pair written in <paramref name="arguments"/>. A layer written empty is reported where it is written, layers not
    /// written at all on the attribute (unless its arguments did not bind, which DD0007 reports); <paramref name="incomplete"/>
    /// makes the diagnostic from a location and what is missing.
    /// </summary>
    public static LayerPairRequest Read(AttributeArguments arguments, bool wrongTypes,
        System.Func<LocationInfo?, string, DiagnosticInfo> incomplete, List<DiagnosticInfo> diagnostics)
    {
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
                diagnostics.Add(incomplete(argument.Location, property + " to name a layer"));
            }
        }
        if (unwritten.Count > 0 && !wrongTypes)
        {
            diagnostics.Add(incomplete(arguments.Location, string.Join(" and ", unwritten)));
        }

        string? teacher = null, teacherName = null;
        if (arguments.TryGetValue(TeacherName, out var type) && type.Value is INamedTypeSymbol { TypeKind: not TypeKind.Error } named)
        {
            var declaration = ClassChecks.Describe(named);
            (teacher, teacherName) = (declaration.FullyQualifiedName, declaration.DisplayName);
        }
        return new LayerPairRequest(Name(teacherLayer.Value), Name(studentLayer.Value), teacher, teacherName,
            arguments.Location, teacherLayer.Location, studentLayer.Location, arguments.LocationOf(TeacherName));
    }

    /// <summary>A non-empty layer name, trimmed; null otherwise.</summary>
    private static string? Name(TypedConstant value) =>
        value.Kind != TypedConstantKind.Error && value.Value is string name && name.Trim().Length > 0 ? name.Trim() : null;
}
