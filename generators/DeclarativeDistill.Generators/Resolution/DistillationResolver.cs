using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Resolution;

/// <summary>
/// Completes a <see cref="DistillationRequest"/> against the networks of the compilation: looks up the
/// student's and the named teachers' shapes, infers the teacher when none is named, and checks that student
/// and teachers agree on their input and output sizes.
/// </summary>
internal static class DistillationResolver
{
    public static DistillationSpec Resolve(DistillationRequest request, NetworkIndex networks)
    {
        var diagnostics = request.Diagnostics.ToList();
        // Without [Student] there is nothing to infer a teacher for: DD0030 says what is missing.
        var references = request.NamedTeachers.IsEmpty
            ? request.StudentDeclared ? Infer(request, networks, diagnostics) : new List<TeacherReference>()
            : request.NamedTeachers.Select(t => new TeacherReference(t.DisplayName, t.ReferencedShape ?? networks.Find(t.FullyQualifiedName), t.Location)).ToList();
        // An invalid [Student] is missing from the index: its own declaration reports why.
        var studentShape = request.StudentDeclared ? networks.Find(request.Student.FullyQualifiedName) : null;

        CheckEnsemble(references, diagnostics);
        if (studentShape is { } student)
        {
            foreach (var reference in references)
            {
                if (reference.Shape is not { } teacher)
                {
                    continue;
                }
                // Larger in both size and compute: an MLP student of a conv teacher often has more parameters but
                // far fewer multiply-adds, which is a fine way to compress.
                if (!teacher.HandWritten && student.ParameterCount > teacher.ParameterCount && student.MultiplyAdds > teacher.MultiplyAdds)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StudentLargerThanTeacher, reference.Location,
                        student.DisplayName, student.ParameterCount.ToString("N0", CultureInfo.InvariantCulture),
                        student.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture),
                        teacher.DisplayName, teacher.ParameterCount.ToString("N0", CultureInfo.InvariantCulture),
                        teacher.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture)));
                }
                if (!teacher.ReadsTheSameInputAs(student))
                {
                    ReportAtBothEnds(DiagnosticDescriptors.InputSizeMismatch, reference.Location, request.StudentInputSize, diagnostics,
                        student.DisplayName, student.Input, teacher.DisplayName, teacher.Input);
                }
                if (teacher.OutputSize != student.OutputSize)
                {
                    ReportAtBothEnds(DiagnosticDescriptors.OutputSizeMismatch, reference.Location, request.StudentOutputSize, diagnostics,
                        student.DisplayName, student.OutputSize, teacher.DisplayName, teacher.OutputSize);
                }
            }
        }

        var hints = studentShape is { } guided && !request.Hints.IsEmpty
            ? HintResolver.Resolve(request.Hints, guided, references, diagnostics)
            : EquatableArray<ResolvedHint>.Empty;

        bool emit = studentShape is not null
            && references.Count > 0
            && references.All(r => r.Shape is not null)
            && !diagnostics.Any(d => d.IsError);
        return new DistillationSpec(
            request.Student,
            references.Where(r => r.Shape is not null).Select(r => r.Shape!).ToEquatableArray(),
            request.Temperature,
            request.Alpha,
            request.Beta,
            request.BetaGiven,
            emit,
            request.AttributeLocation,
            diagnostics.ToEquatableArray(),
            hints,
            request.CombinedHintTraining);
    }

    /// <summary>
    /// A student/teacher size mismatch has two ends, and the user may mean to fix either: it is reported on
    /// the teacher's side (the <c>typeof</c>, or <c>[Distill]</c> when inferred) and on the student's size in its <c>Layers</c>.
    /// </summary>
    private static void ReportAtBothEnds(DiagnosticDescriptor descriptor, LocationInfo? teacherSide, LocationInfo? studentSide,
        List<DiagnosticInfo> diagnostics, params object[] arguments)
    {
        diagnostics.Add(DiagnosticInfo.Create(descriptor, teacherSide, arguments));
        if (studentSide is not null && studentSide != teacherSide)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, studentSide, arguments));
        }
    }

    /// <summary>An ensemble averages probabilities class by class: every teacher must match the first.</summary>
    private static void CheckEnsemble(List<TeacherReference> references, List<DiagnosticInfo> diagnostics)
    {
        var teachers = references.Where(r => r.Shape is not null).ToList();
        for (int i = 1; i < teachers.Count; i++)
        {
            NetworkSummary first = teachers[0].Shape!, other = teachers[i].Shape!;
            if (!other.ReadsTheSameInputAs(first))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EnsembleSizeMismatch, teachers[i].Location,
                    "inputs", first.DisplayName, first.Input, other.DisplayName, other.Input));
            }
            if (other.OutputSize != first.OutputSize)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EnsembleSizeMismatch, teachers[i].Location,
                    "output sizes", first.DisplayName, first.OutputSize, other.DisplayName, other.OutputSize));
            }
        }
    }

    /// <summary>The only teacher of the student's namespace (other than the student itself).</summary>
    private static List<TeacherReference> Infer(DistillationRequest request, NetworkIndex networks, List<DiagnosticInfo> diagnostics)
    {
        var candidates = networks.Teachers
            .Where(t => t.Namespace == request.Student.Namespace && t.FullyQualifiedName != request.Student.FullyQualifiedName)
            .ToList();
        string namespaceName = request.Student.Namespace.Length == 0 ? "<global namespace>" : request.Student.Namespace;
        if (candidates.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoTeacherFound, request.AttributeLocation,
                request.Student.DisplayName, namespaceName));
            return new List<TeacherReference>();
        }
        if (candidates.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AmbiguousTeacher, request.AttributeLocation,
                request.Student.DisplayName, namespaceName, string.Join(", ", candidates.Select(c => c.DisplayName))) with
            {
                // The code fix offers to name each candidate.
                FixData = string.Join(";", candidates.Select(c => c.FullyQualifiedName)),
            });
            return new List<TeacherReference>();
        }
        return new List<TeacherReference> { new(candidates[0].DisplayName, candidates[0], request.AttributeLocation) };
    }
}
