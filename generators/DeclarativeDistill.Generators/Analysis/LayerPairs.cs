using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Resolves the layers a <c>[Hint]</c> or a layer method pairs against the student and its teachers: which teacher (the
/// one named, or the only one), and both layers' outputs. Each mistake is reported at the argument that makes it (the
/// layer name, the teacher), or at the attribute when it is the pairing itself (an ensemble's teacher not named).
/// </summary>
internal static class LayerPairs
{
    /// <summary>
    /// The pair, or null when it cannot be resolved (reported, or left to the distillation when a teacher does not resolve).
    /// <paramref name="reads"/> completes the messages that say what reads the teacher's layers: <c>gives the hint</c>,
    /// <c>[Rkd] reads</c>.
    /// </summary>
    public static ResolvedLayerPair? Resolve(LayerPairRequest pair, string reads, NetworkSummary student,
        IReadOnlyList<TeacherReference> teachers, List<DiagnosticInfo> diagnostics)
    {
        if (pair.TeacherLayer is not { } teacherLayer || pair.StudentLayer is not { } studentLayer
            || Teacher(pair, reads, student, teachers, diagnostics) is not { } index || teachers[index].Shape is not { } teacher)
        {
            return null; // a layer not named is reported by the reader; a teacher that is not a valid network by its declaration
        }
        if (teacher.HandWritten)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TeacherWithoutLayers, pair.TeacherLayerLocation, teacher.DisplayName, reads));
            return null;
        }
        var teacherTap = teacher.Tap(teacherLayer);
        var studentTap = student.Tap(studentLayer);
        if (teacherTap is null)
        {
            diagnostics.Add(NotFound(teacherLayer, "teacher", teacher, pair.TeacherLayerLocation,
                student.Tap(teacherLayer) is not null ? $" ('{teacherLayer}' is a layer of the student '{student.DisplayName}': are TeacherLayer and StudentLayer swapped?)" : ""));
        }
        if (studentTap is null)
        {
            diagnostics.Add(NotFound(studentLayer, "student", student, pair.StudentLayerLocation,
                teacher.Tap(studentLayer) is not null ? $" ('{studentLayer}' is a layer of the teacher '{teacher.DisplayName}': are TeacherLayer and StudentLayer swapped?)" : ""));
        }
        return teacherTap is null || studentTap is null ? null : new ResolvedLayerPair(index, teacher.DisplayName, teacherTap, studentTap);
    }

    /// <summary>The position of the pair's teacher among the distillation's teachers; null (reported) when it is not one, or not named for an ensemble.</summary>
    private static int? Teacher(LayerPairRequest pair, string reads, NetworkSummary student, IReadOnlyList<TeacherReference> teachers, List<DiagnosticInfo> diagnostics)
    {
        if (teachers.Count == 0)
        {
            return null; // no teacher resolved: the distillation reports why
        }
        string names = string.Join(", ", teachers.Select(t => t.Shape?.DisplayName ?? t.DisplayName));
        if (pair.Teacher is { } named)
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
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTeacherNotInDistillation, pair.TeacherLocation,
                pair.TeacherDisplayName ?? named, student.DisplayName, names));
            return null;
        }
        if (teachers.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTeacherAmbiguous, pair.AttributeLocation, student.DisplayName, names, reads));
            return null;
        }
        return 0;
    }

    /// <summary>DD0060, with the network's three layer names closest to <paramref name="name"/> for the code fix to offer.</summary>
    private static DiagnosticInfo NotFound(string name, string role, NetworkSummary network, LocationInfo? location, string note) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.LayerNotFound, location, name, role, network.DisplayName,
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
