using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Checks a student's hints (their weights, and their layers against its own and its teachers') and sizes each regressor: every mistake is
/// reported at the argument that makes it (the layer name, the teacher, the weight), or at the hint when it is the
/// pairing itself.
/// </summary>
internal static class HintAnalysis
{
    /// <summary>DD0059 for every weight that is not positive and finite.</summary>
    public static void CheckWeights(EquatableArray<HintRequest> hints, List<DiagnosticInfo> diagnostics)
    {
        foreach (var hint in hints)
        {
            if (!(hint.Weight > 0) || double.IsInfinity(hint.Weight))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHintWeight, hint.WeightLocation, Literals.Format(hint.Weight)));
            }
        }
    }

    public static EquatableArray<ResolvedHint> Resolve(
        EquatableArray<HintRequest> hints, NetworkSummary student, IReadOnlyList<TeacherReference> teachers, List<DiagnosticInfo> diagnostics)
    {
        var resolved = new List<ResolvedHint>();
        foreach (var hint in hints)
        {
            if (hint.TeacherLayer is not { } teacherLayer || hint.StudentLayer is not { } studentLayer || Teacher(hint, student, teachers, diagnostics) is not { } index)
            {
                continue;
            }
            var teacher = teachers[index].Shape;
            if (teacher is null)
            {
                continue; // not a valid network: its own declaration, or the distillation, says why
            }
            if (teacher.HandWritten)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintTeacherWithoutLayers, hint.TeacherLayerLocation, teacher.DisplayName));
                continue;
            }
            var teacherTap = teacher.Tap(teacherLayer);
            var studentTap = student.Tap(studentLayer);
            if (teacherTap is null)
            {
                diagnostics.Add(NotFound(teacherLayer, "teacher", teacher, hint.TeacherLayerLocation,
                    student.Tap(teacherLayer) is not null ? $" ('{teacherLayer}' is a layer of the student '{student.DisplayName}': are TeacherLayer and StudentLayer swapped?)" : ""));
            }
            if (studentTap is null)
            {
                diagnostics.Add(NotFound(studentLayer, "student", student, hint.StudentLayerLocation,
                    teacher.Tap(studentLayer) is not null ? $" ('{studentLayer}' is a layer of the teacher '{teacher.DisplayName}': are TeacherLayer and StudentLayer swapped?)" : ""));
            }
            if (teacherTap is null || studentTap is null)
            {
                continue;
            }
            if (RegressorSpec.Between(studentTap, teacherTap) is not { } regressor)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintMapTooSmall, hint.StudentLayerLocation,
                    studentLayer, studentTap.Shape.Describe(), teacherLayer, teacherTap.Shape.Describe()));
                continue;
            }
            if (resolved.Any(r => r.Teacher == index && r.TeacherLayer == teacherLayer && r.StudentLayer == studentLayer))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateHint, hint.AttributeLocation, studentLayer, teacherLayer, teacher.DisplayName));
                continue;
            }
            resolved.Add(new ResolvedHint(index, teacher.DisplayName, teacherLayer, teacherTap.Shape, studentLayer, studentTap.Shape, hint.Weight, regressor));
        }
        return resolved.ToEquatableArray();
    }

    /// <summary>The position of the hint's teacher among the distillation's teachers; null (reported) when it is not one, or not named for an ensemble.</summary>
    private static int? Teacher(HintRequest hint, NetworkSummary student, IReadOnlyList<TeacherReference> teachers, List<DiagnosticInfo> diagnostics)
    {
        if (teachers.Count == 0)
        {
            return null; // no teacher resolved: the distillation reports why
        }
        string names = string.Join(", ", teachers.Select(t => t.Shape?.DisplayName ?? t.DisplayName));
        if (hint.Teacher is { } named)
        {
            for (int i = 0; i < teachers.Count; i++)
            {
                if (teachers[i].Shape?.FullyQualifiedName == named)
                {
                    return i;
                }
            }
            if (teachers.Any(t => t.Shape is null))
            {
                return null; // a teacher that did not resolve may be the one named
            }
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintTeacherNotInDistillation, hint.TeacherLocation, hint.TeacherDisplayName ?? named, student.DisplayName, names));
            return null;
        }
        if (teachers.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintTeacherAmbiguous, hint.AttributeLocation, student.DisplayName, names));
            return null;
        }
        return 0;
    }

    /// <summary>DD0060, with the network's three layer names closest to <paramref name="name"/> for the code fix to offer.</summary>
    private static DiagnosticInfo NotFound(string name, string role, NetworkSummary network, LocationInfo? location, string note) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.HintLayerNotFound, location, name, role, network.DisplayName,
            network.Taps.IsEmpty ? "unknown" : string.Join(", ", network.Taps.Select(t => t.Name)), note) with
        {
            FixData = network.Taps.IsEmpty ? null : string.Join(";", Closest(name, network.Taps.Select(t => t.Name))),
        };

    /// <summary>Up to three of <paramref name="names"/>, fewest edits from <paramref name="name"/> first (ties in forward order).</summary>
    internal static IEnumerable<string> Closest(string name, IEnumerable<string> names) =>
        names.Select((candidate, index) => (candidate, index, distance: EditDistance(name, candidate)))
            .OrderBy(c => c.distance)
            .ThenBy(c => c.index)
            .Take(3)
            .Select(c => c.candidate);

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = System.Math.Min(substitution, System.Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
