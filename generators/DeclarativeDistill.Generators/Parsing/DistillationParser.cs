using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Parsing;

/// <summary>
/// Reads one <c>[Distill]</c> declaration: the student, the teachers it names and T, Alpha, Beta. It does
/// not parse the networks' own attributes: their shapes come from the network pipelines, in resolution.
/// This transform runs again for every declaration whenever the compilation changes, so it stays small.
/// </summary>
internal static class DistillationParser
{
    private static readonly Dictionary<string, string> ExpectedTypes = new()
    {
        ["Temperature"] = "a positive number, e.g. 4",
        ["Alpha"] = "a number in [0, 1], e.g. 0.9",
        ["Beta"] = "a number in [0, 1], or nothing for 1 - Alpha",
        ["HintTraining"] = "HintTraining.TwoStages or HintTraining.Combined",
    };

    private static readonly HashSet<string> DistillationMembers = new(GeneratedMembers.Distillation);

    public static DistillationRequest Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var student = (INamedTypeSymbol)context.TargetSymbol;
        var arguments = new AttributeArguments(context.Attributes[0], cancellationToken);
        var diagnostics = new List<DiagnosticInfo>();

        var studentAttribute = NetworkParser.Find(student, KnownNames.StudentAttribute);
        bool studentDeclared = studentAttribute is not null;
        if (!studentDeclared)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DistillWithoutStudent, arguments.Location, Name(student)));
        }

        bool unbound = arguments.ReportWrongTypes(ExpectedTypes, "teacher types, e.g. [Distill(typeof(MnistTeacher))]", diagnostics);

        var teachers = ReadNamedTeachers(arguments, student, diagnostics, cancellationToken);

        DeclarationChecks.CheckMemberConflicts(student, network: false, DistillationMembers, arguments, diagnostics);

        double temperature = ReadWeight(arguments, "Temperature", DistillationDefaults.Temperature, t => t > 0 && !double.IsInfinity(t), DiagnosticDescriptors.InvalidTemperature, diagnostics);
        double alpha = ReadWeight(arguments, "Alpha", DistillationDefaults.Alpha, a => a >= 0 && a <= 1, DiagnosticDescriptors.InvalidAlpha, diagnostics);
        bool betaGiven = arguments.TryGetDouble("Beta", out double beta) && !double.IsNaN(beta);
        if (betaGiven && !(beta >= 0 && beta <= 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBeta, arguments.LocationOf("Beta"), Literals.Format(beta)));
        }
        if (!betaGiven)
        {
            beta = 1 - alpha;
        }
        WarnAboutWeights(arguments, student, temperature, alpha, beta, diagnostics);

        if (unbound && teachers.Count == 0)
        {
            // The constructor did not bind: the user named teachers the compiler could not read, so do not infer one.
            teachers.Add(new NamedTeacher("?", null, arguments.Location, null));
        }

        var hints = HintParser.Read(student, diagnostics, cancellationToken);
        bool combined = false;
        if (arguments.TryGetValue("HintTraining", out var hintTraining) && hintTraining.Value is int training)
        {
            if (training is not (0 or 1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongArgumentType, arguments.LocationOf("HintTraining"),
                    "HintTraining", ExpectedTypes["HintTraining"]));
            }
            combined = training == 1;
            if (hints.IsEmpty)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HintTrainingWithoutHints, arguments.LocationOf("HintTraining"), Name(student)));
            }
        }

        var (inputSize, outputSize) = SizeLocations(studentAttribute, cancellationToken);
        if (inputSize is null && studentDeclared && NetworkParser.Find(student, KnownNames.TeacherAttribute) is { } teacherAttribute)
        {
            (inputSize, outputSize) = SizeLocations(teacherAttribute, cancellationToken); // a teacher assistant may write Layers on [Teacher]
        }

        return new DistillationRequest(
            DeclarationChecks.Describe(student),
            studentDeclared,
            inputSize,
            outputSize,
            teachers.ToEquatableArray(),
            temperature,
            alpha,
            beta,
            betaGiven,
            arguments.Location,
            diagnostics.ToEquatableArray(),
            hints,
            combined);
    }

    /// <summary>Where the <c>Layers</c> of <paramref name="network"/> writes its first and last width, if it writes Layers.</summary>
    private static (LocationInfo? Input, LocationInfo? Output) SizeLocations(AttributeData? network, CancellationToken cancellationToken)
    {
        if (network is null)
        {
            return (null, null);
        }
        var arguments = new AttributeArguments(network, cancellationToken);
        if (!arguments.TryGetValue("Layers", out var value) || value.Value is not string layers)
        {
            return (null, null);
        }
        var (input, output) = Architecture.ArchitectureParser.Ends(layers);
        return (arguments.LocationWithin("Layers", layers, input.Start, input.Length),
            arguments.LocationWithin("Layers", layers, output.Start, output.Length));
    }

    /// <summary>
    /// The teachers named with <c>typeof</c>, checked: null, self, duplicates, types without <c>[Teacher]</c>.
    /// A type the compiler cannot resolve keeps a placeholder that resolves to nothing, so nothing is emitted.
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
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotATeacher, location, "null"));
                teachers.Add(new NamedTeacher("null", null, location, null));
                continue;
            }
            if (type is not INamedTypeSymbol teacher || type.TypeKind == TypeKind.Error)
            {
                // typeof(Missing): the compiler reports it. Keep a placeholder so nothing is emitted.
                teachers.Add(new NamedTeacher(type?.ToDisplayString() ?? "?", null, location, null));
                continue;
            }
            if (SymbolEqualityComparer.Default.Equals(teacher, student))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SelfTeacher, location, Name(student)));
            }
            else if (!seen.Add(teacher))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTeacher, location, Name(teacher)));
            }
            else if (NetworkParser.Find(teacher, KnownNames.TeacherAttribute) is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotATeacher, location, Name(teacher)));
            }
            // An invalid [Teacher] is missing from the network index and resolves to no shape, without a
            // diagnostic here: its own declaration reports it.
            var declaration = DeclarationChecks.Describe(teacher);
            // A teacher compiled in a referenced assembly is not in this compilation's network index: its
            // attributes, kept in metadata, give its shape.
            var referencedShape = SymbolEqualityComparer.Default.Equals(teacher.ContainingAssembly, student.ContainingAssembly)
                ? null
                : NetworkParser.Read(teacher, cancellationToken).Network?.Summary();
            teachers.Add(new NamedTeacher(declaration.DisplayName, declaration.FullyQualifiedName, location, referencedShape));
        }
        return teachers;
    }

    /// <summary>Legal values that are probably not what the user meant, and the one combination that learns nothing.</summary>
    private static void WarnAboutWeights(AttributeArguments arguments, INamedTypeSymbol student, double temperature, double alpha, double beta,
        List<DiagnosticInfo> diagnostics)
    {
        var invalidValues = new[] { DiagnosticDescriptors.InvalidTemperature, DiagnosticDescriptors.InvalidAlpha, DiagnosticDescriptors.InvalidBeta };
        if (diagnostics.Any(d => invalidValues.Contains(d.Descriptor)))
        {
            return; // the invalid value is the problem to report
        }
        if (alpha == 0 && beta == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NothingToLearn,
                arguments.IsWritten("Beta") ? arguments.LocationOf("Beta") : arguments.LocationOf("Alpha"), Name(student)));
        }
        else if (alpha == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSoftLoss, arguments.LocationOf("Alpha"), Name(student)));
        }
        if (temperature > 0 && !double.IsInfinity(temperature) && (temperature < 1 || temperature > 20))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusualTemperature, arguments.LocationOf("Temperature"), Literals.Format(temperature)));
        }
    }

    /// <summary>A class as messages name it; built only when there is something to report.</summary>
    private static string Name(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    private static double ReadWeight(AttributeArguments arguments, string name, double defaultValue, System.Func<double, bool> isValid,
        DiagnosticDescriptor descriptor, List<DiagnosticInfo> diagnostics)
    {
        if (!arguments.TryGetDouble(name, out double value))
        {
            return defaultValue;
        }
        if (!isValid(value))
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, arguments.LocationOf(name), Literals.Format(value)));
        }
        return value;
    }
}
