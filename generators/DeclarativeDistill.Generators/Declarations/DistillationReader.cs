using System.Collections.Generic;
using System.Threading;
using DeclarativeDistill.Generators.Analysis;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// The attribute transform of the distillation pipeline: reads one <c>[Distill]</c> declaration into a
/// <see cref="DistillationRequest"/>: the student, the teachers it names and what the compiler says of each, the
/// arguments as written, the hints. It does not read the networks' own attributes (their shapes come from the network
/// pipelines) and judges no value: both happen in the analysis step. It runs again for every declaration whenever the
/// compilation changes, so it stays small.
/// </summary>
internal static class DistillationReader
{
    private static readonly Dictionary<string, string> ExpectedTypes = new()
    {
        [nameof(DistillAttribute.Temperature)] = "a positive number, e.g. 4",
        [nameof(DistillAttribute.Alpha)] = "a number in [0, 1], e.g. 0.9",
        [nameof(DistillAttribute.Beta)] = "a number in [0, 1], or nothing for 1 - Alpha",
        [nameof(DistillAttribute.HintTraining)] = "HintTraining.TwoStages or HintTraining.Combined",
    };

    public static DistillationRequest Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var student = (INamedTypeSymbol)context.TargetSymbol;
        var arguments = new AttributeArguments(context.Attributes[0], cancellationToken);
        var diagnostics = new List<DiagnosticInfo>();

        var studentAttribute = KnownNames.Find(student, KnownNames.StudentAttribute);
        bool unbound = arguments.ReportWrongTypes(ExpectedTypes, "teacher types, e.g. [Distill(typeof(MnistTeacher))]", diagnostics);
        var teachers = ReadNamedTeachers(arguments, student, diagnostics, cancellationToken);
        if (unbound && teachers.Count == 0)
        {
            // The constructor did not bind: the user named teachers the compiler could not read, so do not infer one.
            teachers.Add(new NamedTeacher("?", null, arguments.Location, null));
        }
        var hints = HintReader.Read(student, diagnostics, cancellationToken);
        var methods = MethodReader.Read(student, diagnostics, cancellationToken);

        var (inputSize, outputSize) = SizeLocations(studentAttribute, cancellationToken);
        if (inputSize is null && studentAttribute is not null && KnownNames.Find(student, KnownNames.TeacherAttribute) is { } teacherAttribute)
        {
            (inputSize, outputSize) = SizeLocations(teacherAttribute, cancellationToken); // a teacher assistant may write Layers on [Teacher]
        }

        var members = ClassChecks.Members(student);
        var declaration = ClassChecks.Describe(student);
        return new DistillationRequest
        {
            Student = declaration,
            StudentDeclared = studentAttribute is not null,
            Extensible = ClassChecks.CanExtend(student),
            StudentInputSize = inputSize,
            StudentOutputSize = outputSize,
            NamedTeachers = teachers.ToEquatableArray(),
            Attribute = arguments.Capture(),
            Hints = hints,
            Methods = methods,
            Members = members,
            MessageName = ClassChecks.MessageName(student, declaration),
            Diagnostics = diagnostics.ToEquatableArray(),
        };
    }

    /// <summary>Where the <c>Layers</c> of <paramref name="network"/> writes its first and last width, if it writes Layers.</summary>
    private static (LocationInfo? Input, LocationInfo? Output) SizeLocations(AttributeData? network, CancellationToken cancellationToken)
    {
        if (network is null)
        {
            return (null, null);
        }
        var arguments = new AttributeArguments(network, cancellationToken);
        const string Layers = nameof(NetworkAttribute.Layers);
        if (!arguments.TryGetValue(Layers, out var value) || value.Value is not string layers)
        {
            return (null, null);
        }
        var (input, output) = Grammar.ArchitectureGrammar.Ends(layers);
        return (arguments.LocationWithin(Layers, layers, input.Start, input.Length),
            arguments.LocationWithin(Layers, layers, output.Start, output.Length));
    }

    /// <summary>
    /// The teachers named with <c>typeof</c>, with what is wrong with each (null, self, duplicates, types without
    /// <c>[Teacher]</c>) for the analysis to report. A type the compiler cannot resolve keeps a placeholder that
    /// resolves to nothing, so nothing is emitted.
    /// </summary>
    private static List<NamedTeacher> ReadNamedTeachers(AttributeArguments arguments, INamedTypeSymbol student,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var teachers = new List<NamedTeacher>();
        var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        if (arguments.HasNullArray)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongArgumentType, arguments.Location,
                "[Distill(null)]", "teacher types, e.g. [Distill(typeof(MnistTeacher))], or no arguments to infer the teacher"));
            teachers.Add(new NamedTeacher("null", null, arguments.Location, null));
        }
        foreach (var (type, isNull, location) in arguments.TypeArguments())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (isNull)
            {
                teachers.Add(new NamedTeacher("null", null, location, null) { Problem = TeacherProblem.Null });
                continue;
            }
            if (type is not INamedTypeSymbol teacher || type.TypeKind == TypeKind.Error)
            {
                // typeof(Missing): the compiler reports it. Keep a placeholder so nothing is emitted.
                teachers.Add(new NamedTeacher(type?.ToDisplayString() ?? "?", null, location, null));
                continue;
            }
            var problem = SymbolEqualityComparer.Default.Equals(teacher, student) ? TeacherProblem.Self
                : !seen.Add(teacher) ? TeacherProblem.Duplicate
                : KnownNames.Find(teacher, KnownNames.TeacherAttribute) is null ? TeacherProblem.NotATeacher
                : TeacherProblem.None;
            // An invalid [Teacher] is missing from the network index and resolves to no shape, without a
            // diagnostic here: its own declaration reports it.
            var declaration = ClassChecks.Describe(teacher);
            // A teacher compiled in a referenced assembly is not in this compilation's network index: its
            // attributes, kept in metadata, give its shape.
            var referencedShape = SymbolEqualityComparer.Default.Equals(teacher.ContainingAssembly, student.ContainingAssembly)
                ? null
                : NetworkReader.Read(teacher, cancellationToken) is { } referenced ? NetworkAnalysis.Analyse(referenced).Network?.Summary() : null;
            teachers.Add(new NamedTeacher(declaration.DisplayName, declaration.FullyQualifiedName, location, referencedShape)
            {
                Problem = problem,
                MessageName = problem == TeacherProblem.None ? null : Name(teacher),
            });
        }
        return teachers;
    }

    /// <summary>A class as messages name it; built only when there is something to report.</summary>
    private static string Name(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
