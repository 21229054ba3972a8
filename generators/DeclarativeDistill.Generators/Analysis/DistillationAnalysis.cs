using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// The analysis step of the distillation pipeline: checks a <see cref="DistillationRequest"/>'s values (T, Alpha,
/// Beta, HintTraining) and members, and completes it against the networks of the compilation: looks up the
/// student's and the named teachers' shapes, infers the teacher when none is named, and checks that student and
/// teachers agree on their input and output sizes.
/// </summary>
internal static class DistillationAnalysis
{
    private const string TemperatureName = nameof(DistillAttribute.Temperature);
    private const string AlphaName = nameof(DistillAttribute.Alpha);
    private const string BetaName = nameof(DistillAttribute.Beta);
    private const string HintTrainingName = nameof(DistillAttribute.HintTraining);

    private static readonly HashSet<string> DistillationMembers = new(GeneratedMembers.Distillation);

    public static DistillationSpec Analyse(DistillationRequest request, NetworkIndex networks)
    {
        var diagnostics = request.Diagnostics.ToList();
        var arguments = request.Attribute;
        if (!request.StudentDeclared)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DistillWithoutStudent, arguments.Location, request.MessageName));
        }
        ReportTeacherProblems(request, diagnostics);
        MemberConflicts.Check(request.Members, request.MessageName, network: false, DistillationMembers, arguments.Location, diagnostics);
        var (temperature, alpha, beta, betaGiven) = ReadConstants(request, diagnostics);
        bool combined = ReadHintTraining(request, diagnostics);
        var references = Teachers(request, networks, diagnostics);
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
                        student.DisplayName, student.Input.DescribeFeatures(), teacher.DisplayName, teacher.Input.DescribeFeatures());
                }
                if (teacher.OutputSize != student.OutputSize)
                {
                    ReportAtBothEnds(DiagnosticDescriptors.OutputSizeMismatch, reference.Location, request.StudentOutputSize, diagnostics,
                        student.DisplayName, student.OutputSize, teacher.DisplayName, teacher.OutputSize);
                }
            }
        }

        HintAnalysis.CheckWeights(request.Hints, diagnostics);
        var hints = studentShape is { } guided && !request.Hints.IsEmpty
            ? HintAnalysis.Resolve(request.Hints, guided, references, diagnostics)
            : EquatableArray<ResolvedHint>.Empty;
        var methods = MethodAnalysis.Analyse(request.Methods, studentShape, references, diagnostics);

        bool emit = studentShape is not null
            && references.Count > 0
            && references.All(r => r.Shape is not null)
            && !diagnostics.Any(d => d.IsError);
        return new DistillationSpec(
            request.Student,
            references.Where(r => r.Shape is not null).Select(r => r.Shape!).ToEquatableArray(),
            temperature,
            alpha,
            beta,
            betaGiven,
            emit,
            request.AttributeLocation,
            diagnostics.ToEquatableArray(),
            hints,
            combined,
            methods);
    }

    /// <summary>
    /// The distillation's teachers: those named, or the one inferred from the student's namespace (DD0032 and DD0033 when
    /// there is none or more than one). Without [Student] there is nothing to infer a teacher for: DD0030 says what is missing.
    /// </summary>
    internal static List<TeacherReference> Teachers(DistillationRequest request, NetworkIndex networks, List<DiagnosticInfo> diagnostics) =>
        request.NamedTeachers.IsEmpty
            ? request.StudentDeclared ? Infer(request, networks, diagnostics) : new List<TeacherReference>()
            : request.NamedTeachers.Select(t => new TeacherReference(t.DisplayName, t.ReferencedShape ?? networks.Find(t.FullyQualifiedName), t.Location)).ToList();

    /// <summary>DD0031, DD0034 and DD0036 for the teachers that cannot be named; each still resolves (to nothing, or to a duplicate).</summary>
    private static void ReportTeacherProblems(DistillationRequest request, List<DiagnosticInfo> diagnostics)
    {
        foreach (var teacher in request.NamedTeachers)
        {
            var descriptor = teacher.Problem switch
            {
                TeacherProblem.Null or TeacherProblem.NotATeacher => DiagnosticDescriptors.NotATeacher,
                TeacherProblem.Self => DiagnosticDescriptors.SelfTeacher,
                TeacherProblem.Duplicate => DiagnosticDescriptors.DuplicateTeacher,
                _ => null,
            };
            if (descriptor is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, teacher.Location, teacher.MessageName ?? "null"));
            }
        }
    }

    /// <summary>T, Alpha and Beta as declared (or their defaults), with DD0010-DD0012 for values out of range and the warnings on legal but odd ones.</summary>
    private static (double Temperature, double Alpha, double Beta, bool BetaGiven) ReadConstants(DistillationRequest request, List<DiagnosticInfo> diagnostics)
    {
        var arguments = request.Attribute;
        int before = diagnostics.Count;
        double temperature = ReadWeight(arguments, TemperatureName, DistillAttribute.DefaultTemperature, t => t > 0 && !double.IsInfinity(t), DiagnosticDescriptors.InvalidTemperature, diagnostics);
        double alpha = ReadWeight(arguments, AlphaName, DistillAttribute.DefaultAlpha, a => a >= 0 && a <= 1, DiagnosticDescriptors.InvalidAlpha, diagnostics);
        bool betaGiven = arguments.TryGetNumber(BetaName, out double beta) && !double.IsNaN(beta);
        if (betaGiven && !(beta >= 0 && beta <= 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBeta, arguments.LocationOf(BetaName), Literals.Format(beta)));
        }
        if (!betaGiven)
        {
            beta = 1 - alpha;
        }
        if (diagnostics.Count == before)
        {
            WarnAboutWeights(request, temperature, alpha, beta, diagnostics); // an invalid value is the problem to report
        }
        return (temperature, alpha, beta, betaGiven);
    }

    /// <summary>
    /// Legal values that are probably not what the user meant, and the one combination that learns nothing. Beside a method,
    /// Alpha = 0 is how the methods' papers train (the labels and the method), and both weights 0 still learn the method.
    /// </summary>
    private static void WarnAboutWeights(DistillationRequest request, double temperature, double alpha, double beta, List<DiagnosticInfo> diagnostics)
    {
        var arguments = request.Attribute;
        if (alpha == 0 && beta == 0 && request.Methods.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NothingToLearn,
                arguments.IsWritten(BetaName) ? arguments.LocationOf(BetaName) : arguments.LocationOf(AlphaName), request.MessageName));
        }
        else if (alpha == 0 && request.Methods.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSoftLoss, arguments.LocationOf(AlphaName), request.MessageName));
        }
        if (temperature > 0 && !double.IsInfinity(temperature) && (temperature < 1 || temperature > 20))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusualTemperature, arguments.LocationOf(TemperatureName), Literals.Format(temperature)));
        }
    }

    private static double ReadWeight(AttributeCapture arguments, string name, double defaultValue, System.Func<double, bool> isValid,
        DiagnosticDescriptor descriptor, List<DiagnosticInfo> diagnostics)
    {
        if (!arguments.TryGetNumber(name, out double value))
        {
            return defaultValue;
        }
        if (!isValid(value))
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, arguments.LocationOf(name), Literals.Format(value)));
        }
        return value;
    }

    /// <summary>Whether the hints train with the rest in one stage; DD0007 for a value that is no <c>HintTraining</c>, DD1005 without hints.</summary>
    private static bool ReadHintTraining(DistillationRequest request, List<DiagnosticInfo> diagnostics)
    {
        var arguments = request.Attribute;
        if (!arguments.TryGetNumber(HintTrainingName, out double number))
        {
            return false;
        }
        int training = (int)number;
        if (!System.Enum.IsDefined(typeof(HintTraining), training))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongArgumentType, arguments.LocationOf(HintTrainingName),
                HintTrainingName, "HintTraining.TwoStages or HintTraining.Combined"));
        }
        if (request.Hints.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintTrainingWithoutHints, arguments.LocationOf(HintTrainingName), request.MessageName));
        }
        return training == (int)HintTraining.Combined;
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
                    "inputs", first.DisplayName, first.Input.DescribeFeatures(), other.DisplayName, other.Input.DescribeFeatures()));
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
        var candidates = networks.TeachersOf(request.Student.Namespace)
            .Where(t => t.FullyQualifiedName != request.Student.FullyQualifiedName)
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
