using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Decides what stands in for a declaration with errors (see <see cref="NetworkPlaceholder"/>), so that a wrong
/// declaration costs the user its DD errors only. Nothing stands in for a class the generator cannot extend (not
/// partial, generic, a record...): a partial declaration of it would be a CS error of its own.
/// </summary>
internal static class Placeholders
{
    /// <summary>The DD errors that say a generated partial declaration cannot extend the class.</summary>
    private static readonly HashSet<string> CannotExtend = new()
    {
        DiagnosticIds.NotPartial, DiagnosticIds.GenericClass, DiagnosticIds.ContainingTypeNotPartial, DiagnosticIds.NotAPlainClass,
    };

    /// <summary>
    /// The placeholder of a network that <paramref name="diagnostics"/> make invalid, with the input and outputs the
    /// declaration determines; null when there is no error, or no class to extend.
    /// </summary>
    public static NetworkPlaceholder? ForNetwork(NetworkDeclaration declaration, IEnumerable<DiagnosticInfo> diagnostics,
        TensorShape? input = null, int outputSize = 0)
    {
        var errors = ErrorIds(diagnostics);
        if (declaration.Teacher is null && declaration.Student is null || errors.Count == 0 || errors.Any(CannotExtend.Contains))
        {
            return null;
        }
        bool ownBase = errors.Contains(DiagnosticIds.HasBaseClass);
        bool ownModuleMembers = declaration.Members.Any(m => m.Kind is MemberKind.ParameterlessConstructor or MemberKind.Forward);
        return new NetworkPlaceholder
        {
            Type = declaration.Type,
            Source = declaration.Source,
            Input = input,
            OutputSize = outputSize,
            DeclaresModule = declaration.Source != NetworkSource.HandWritten && !ownBase && !ownModuleMembers,
            Omitted = OwnNames(declaration.Members),
            ErrorIds = errors.ToEquatableArray(),
        };
    }

    /// <summary>
    /// The placeholder of a distillation that is not emitted: its constants as read, and its teachers as named or, when
    /// inferred, as resolved (one of unknown type otherwise). Null when the student's class cannot be extended.
    /// </summary>
    public static DistillationPlaceholder? ForDistillation(DistillationRequest request, DistillationSpec spec)
    {
        if (!request.Extensible)
        {
            return null;
        }
        // A type that is not a [Teacher] may be anything (generic, an interface): a type parameter takes its place.
        var teachers = !request.NamedTeachers.IsEmpty
            ? request.NamedTeachers.Select((t, i) => t.FullyQualifiedName is { } type && t.Problem != TeacherProblem.NotATeacher
                ? new TeacherSlot(type, t.DisplayName)
                : new TeacherSlot(null, "Teacher" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : spec.Teachers.Count == 1
                ? spec.Teachers.Select(t => new TeacherSlot(t.FullyQualifiedName, t.DisplayName))
                : new[] { new TeacherSlot(null, "Teacher") };
        return new DistillationPlaceholder
        {
            Student = request.Student,
            Teachers = teachers.ToEquatableArray(),
            Temperature = spec.Temperature,
            Alpha = spec.Alpha,
            Beta = spec.Beta,
            BetaGiven = spec.BetaGiven,
            Omitted = OwnNames(request.Members),
            ErrorIds = ErrorIds(spec.Diagnostics).ToEquatableArray(),
        };
    }

    private static List<string> ErrorIds(IEnumerable<DiagnosticInfo> diagnostics) =>
        diagnostics.Where(d => d.IsError).Select(d => d.Descriptor.Id).Distinct().OrderBy(id => id, System.StringComparer.Ordinal).ToList();

    /// <summary>The names of the user's members that are not methods: a generated member of one of them would collide.</summary>
    private static EquatableArray<string> OwnNames(EquatableArray<DeclaredMember> members) =>
        members.Where(m => m.Kind == MemberKind.Other).Select(m => m.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray();
}
