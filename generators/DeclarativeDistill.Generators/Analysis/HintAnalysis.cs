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
            if (LayerPairs.Resolve(hint.Layers, "gives the hint", student, teachers, diagnostics) is not { } pair)
            {
                continue;
            }
            var (teacherTap, studentTap) = (pair.TeacherLayer, pair.StudentLayer);
            if (RegressorSpec.Between(studentTap, teacherTap) is not { } regressor)
            {
                bool sequences = studentTap.Shape.IsSequence || teacherTap.Shape.IsSequence;
                diagnostics.Add(DiagnosticInfo.Create(sequences ? DiagnosticDescriptors.SequenceHintMismatch : DiagnosticDescriptors.HintMapTooSmall, hint.Layers.StudentLayerLocation,
                    studentTap.Name, studentTap.Shape.Describe(), teacherTap.Name, teacherTap.Shape.Describe()));
                continue;
            }
            if (resolved.Any(r => r.Teacher == pair.Teacher && r.TeacherLayer == teacherTap.Name && r.StudentLayer == studentTap.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateHint, hint.Layers.AttributeLocation, studentTap.Name, teacherTap.Name, pair.TeacherName));
                continue;
            }
            resolved.Add(new ResolvedHint(pair.Teacher, pair.TeacherName, teacherTap.Name, teacherTap.Shape, studentTap.Name, studentTap.Shape, hint.Weight, regressor));
        }
        return resolved.ToEquatableArray();
    }
}
