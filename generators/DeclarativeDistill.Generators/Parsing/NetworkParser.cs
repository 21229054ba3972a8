using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Architecture;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Parsing;

/// <summary>
/// Reads the <c>[Teacher]</c> and <c>[Student]</c> attributes of a class into a <see cref="NetworkSpec"/>,
/// reporting every problem. Distillations learn the networks' shapes from these results (through the
/// network index), so each network is parsed once per compilation and each rule is written once.
/// </summary>
internal static class NetworkParser
{
    private const string LayersName = "Layers";
    private const string ActivationName = "Activation";
    private const string DropoutName = "Dropout";
    private const string InputName = "Input";
    private const string OutputsName = "Outputs";
    private const string OnnxName = "Onnx";

    private static readonly Dictionary<string, string> ExpectedTypes = new()
    {
        [LayersName] = "a string of layer widths, e.g. \"784,800,800,10\"",
        [ActivationName] = "an Activation: Activation.ReLU, Tanh, GELU or Sigmoid",
        [DropoutName] = "a number in [0, 1), e.g. 0.5",
        [InputName] = "one example's shape, e.g. \"1x28x28\" or \"784\"",
        [OutputsName] = "the number of classes, e.g. 10",
        [OnnxName] = "the ONNX model's file, e.g. \"digits.onnx\"",
    };

    /// <summary>What a hand-written teacher gets besides methods (the member-conflict check's names).</summary>
    private static readonly string[] HandWrittenMembers = { GeneratedMembers.InputSize, GeneratedMembers.InputShape, GeneratedMembers.OutputSize };

    /// <summary>
    /// The transform of the <c>[Teacher]</c> pipeline. It owns every class with <c>[Teacher]</c>, including
    /// teacher assistants that are students too.
    /// </summary>
    public static NetworkResult ParseTeacher(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Read((INamedTypeSymbol)context.TargetSymbol, cancellationToken);

    /// <summary>The transform of the <c>[Student]</c> pipeline: null for classes the teacher pipeline owns.</summary>
    public static NetworkResult? ParseStudent(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        return Find(type, KnownNames.TeacherAttribute) is null ? Read(type, cancellationToken) : null;
    }

    /// <summary>The network <paramref name="type"/> declares, or the reasons it does not declare a valid one.</summary>
    public static NetworkResult Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var teacherData = Find(type, KnownNames.TeacherAttribute);
        var studentData = Find(type, KnownNames.StudentAttribute);
        var teacher = teacherData is null ? null : new AttributeArguments(teacherData, cancellationToken);
        var student = studentData is null ? null : new AttributeArguments(studentData, cancellationToken);
        var primary = teacher ?? student;
        var diagnostics = new List<DiagnosticInfo>();
        if (primary is null)
        {
            return new NetworkResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        string attributeName = teacher is null ? "Student" : "Teacher";
        bool handWritten = teacher is not null && (teacher.IsWritten(InputName) || teacher.IsWritten(OutputsName));
        DeclarationChecks.Check(type, attributeName, primary, diagnostics, handWritten);
        teacher?.ReportWrongTypes(ExpectedTypes, null, diagnostics);
        student?.ReportWrongTypes(ExpectedTypes, null, diagnostics);

        string className = type.Name;
        if (teacher is not null && teacher.IsWritten(OnnxName))
        {
            return ReadOnnx(type, teacher, student, diagnostics);
        }
        if (handWritten)
        {
            return ReadHandWritten(type, teacher!, student, diagnostics);
        }
        var architecture = ReadLayers(className, teacher, student, diagnostics);
        var activation = ReadActivation(className, teacher, student, diagnostics);
        double dropout = ReadDropout(className, teacher, student, diagnostics);

        IReadOnlyList<Layer>? layers = null;
        if (architecture is { } declared)
        {
            layers = Analyse(declared, dropout, diagnostics);
        }

        if (dropout > 0 && layers is not null && !layers.Any(l => l.Dropped))
        {
            var source = teacher is not null && teacher.IsWritten(DropoutName) ? teacher : student!;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutWithoutHiddenLayers, source.LocationOf(DropoutName),
                className, Literals.Format(dropout)));
        }

        if (layers is not null)
        {
            var generated = new HashSet<string>(GeneratedMembers.Network);
            foreach (var layer in layers)
            {
                if (layer.Field is { } field)
                {
                    generated.Add(field);
                }
            }
            if (layers.Any(l => l.Dropped))
            {
                generated.Add(GeneratedMembers.ClassDropout);
            }
            DeclarationChecks.CheckMemberConflicts(type, network: true, generated, primary, diagnostics);
        }

        NetworkSpec? spec = null;
        if (!diagnostics.Any(d => d.IsError) && architecture is { } items && layers is not null)
        {
            var role = teacher is not null && student is not null ? NetworkRole.TeacherAndStudent
                : teacher is not null ? NetworkRole.Teacher
                : NetworkRole.Student;
            spec = new NetworkSpec(DeclarationChecks.Describe(type), role, items.Items.Input.Shape, layers.ToEquatableArray(), activation, dropout);
        }
        return new NetworkResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A TorchSharp module written by hand and declared by its shapes: <c>[Teacher(Input = "1x28x28", Outputs = 10)]</c>.
    /// Nothing that describes generated layers may come with them, and the class must be a module.
    /// </summary>
    private static NetworkResult ReadHandWritten(INamedTypeSymbol type, AttributeArguments teacher, AttributeArguments? student, List<DiagnosticInfo> diagnostics)
    {
        string name = type.Name;
        void Report(LocationInfo? location, string problem) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandWrittenDeclaration, location, name, problem));

        if (student is not null)
        {
            Report(student.Location, "a module declared by Input and Outputs cannot also be a [Student]: distillation trains generated networks");
        }
        foreach (string property in new[] { LayersName, ActivationName, DropoutName })
        {
            if (teacher.IsWritten(property))
            {
                Report(teacher.LocationOf(property), $"{property} describes generated layers, but a module declared by Input and Outputs has its own; remove {property}, or Input and Outputs");
            }
        }

        TensorShape? input = null;
        if (!teacher.TryGetValue(InputName, out var inputConstant) || inputConstant.Value is not string text || text.Trim().Length == 0)
        {
            Report(teacher.IsWritten(InputName) ? teacher.LocationOf(InputName) : teacher.Location,
                "Input is missing: give the shape of one example, e.g. Input = \"1x28x28\" or Input = \"784\"");
        }
        else
        {
            // The grammar's first item, followed by a class count it never complains about.
            var (items, count, problem) = ArchitectureCache.Parse(text + ", 1");
            if (problem is not null && problem.Start < text.Length)
            {
                Report(teacher.LocationWithin(InputName, text, problem.Start, System.Math.Max(1, System.Math.Min(problem.Length, text.Length - problem.Start))),
                    $"Input \"{text}\" at position {problem.Start + 1}: {problem.Message}");
            }
            else if (problem is not null || count != 2 || items is null)
            {
                Report(teacher.LocationOf(InputName), $"Input is the shape of one example, e.g. \"1x28x28\" or \"784\"; \"{text}\" is not one shape");
            }
            else
            {
                input = items.Input.Shape;
            }
        }

        int outputs = 0;
        if (!teacher.TryGetValue(OutputsName, out var outputsConstant) || outputsConstant.Value is not int declared)
        {
            Report(teacher.IsWritten(OutputsName) ? teacher.LocationOf(OutputsName) : teacher.Location,
                "Outputs is missing: give the number of classes the module's logits have, e.g. Outputs = 10");
        }
        else if (declared < 1)
        {
            Report(teacher.LocationOf(OutputsName), $"Outputs is the number of classes and must be at least 1; got {declared}");
        }
        else
        {
            outputs = declared;
        }

        if (!IsModule(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandWrittenNotAModule, teacher.Location, name));
        }
        DeclarationChecks.CheckMemberConflicts(type, network: false, HandWrittenMembers, teacher, diagnostics);

        NetworkSpec? spec = null;
        if (!diagnostics.Any(d => d.IsError) && input is not null)
        {
            spec = new NetworkSpec(DeclarationChecks.Describe(type), NetworkRole.Teacher, input, EquatableArray<Layer>.Empty, ActivationKind.ReLU, 0, outputs);
        }
        return new NetworkResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A classifier in an ONNX file: <c>[Teacher(Onnx = "digits.onnx")]</c>. Its shapes come from the file, which the
    /// build reads (see <see cref="OnnxSignature"/>); until they are joined in, the spec names the file only.
    /// </summary>
    private static NetworkResult ReadOnnx(INamedTypeSymbol type, AttributeArguments teacher, AttributeArguments? student, List<DiagnosticInfo> diagnostics)
    {
        string name = type.Name;
        void Report(LocationInfo? location, string problem) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandWrittenDeclaration, location, name, problem));

        if (student is not null)
        {
            Report(student.Location, "an ONNX teacher cannot also be a [Student]: distillation trains generated networks");
        }
        foreach (string property in new[] { LayersName, InputName, OutputsName, ActivationName, DropoutName })
        {
            if (teacher.IsWritten(property))
            {
                Report(teacher.LocationOf(property), $"{property} does not go with Onnx: the model's file says what it takes and gives; remove {property}");
            }
        }
        string? file = teacher.TryGetValue(OnnxName, out var constant) ? constant.Value as string : null;
        if (string.IsNullOrWhiteSpace(file))
        {
            Report(teacher.LocationOf(OnnxName), "Onnx names no file: give the model's file, e.g. Onnx = \"digits.onnx\"");
        }
        // The generated part declares the base class, the constructors and forward (OnnxTeacher's).
        DeclarationChecks.CheckMemberConflicts(type, network: true, HandWrittenMembers, teacher, diagnostics);

        NetworkSpec? spec = null;
        if (!diagnostics.Any(d => d.IsError))
        {
            spec = new NetworkSpec(DeclarationChecks.Describe(type), NetworkRole.Teacher, TensorShape.Vector(1), EquatableArray<Layer>.Empty,
                ActivationKind.ReLU, 0, 0, file, teacher.LocationOf(OnnxName));
        }
        return new NetworkResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// Joins an ONNX teacher with what the build read of its file: its input shape and classes, or DD0056 when the
    /// build did not read the file or the model cannot be a teacher. Other networks pass through.
    /// </summary>
    public static NetworkResult JoinOnnxSignature(NetworkResult result, EquatableArray<OnnxSignature> signatures)
    {
        if (result.Network is not { IsOnnx: true } network)
        {
            return result;
        }
        string file = System.IO.Path.GetFileName(network.OnnxFile!);
        var signature = signatures.FirstOrDefault(s => string.Equals(s.FileName, file, System.StringComparison.OrdinalIgnoreCase));
        string? problem = signature is null
            ? $"was not read by the build: add <AdditionalFiles Include=\"{network.OnnxFile}\" /> to the project"
            : signature.Problem;
        if (problem is not null)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.OnnxModelUnreadable, network.OnnxLocation, network.Type.Identifier, network.OnnxFile!, problem);
            return new NetworkResult(null, result.Diagnostics.Concat(new[] { diagnostic }).ToEquatableArray());
        }
        return result with { Network = network with { Input = signature!.Input!, DeclaredOutputs = signature.Outputs } };
    }

    /// <summary>Whether <paramref name="type"/> derives from TorchSharp's <c>Module&lt;Tensor, Tensor&gt;</c>.</summary>
    private static bool IsModule(INamedTypeSymbol type)
    {
        const string Module = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == Module)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The application of one of the runtime's attributes (e.g. <see cref="KnownNames.StudentAttribute"/>) on <paramref name="type"/>.</summary>
    public static AttributeData? Find(INamedTypeSymbol type, string attributeMetadataName)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (KnownNames.IsRuntimeType(attribute.AttributeClass, attributeMetadataName))
            {
                return attribute;
            }
        }
        return null;
    }

    /// <summary>The items of a <c>Layers</c> string, and the attribute and text they were read from (for locations).</summary>
    private readonly struct Architecture
    {
        public Architecture(ArchitectureParser.Items items, AttributeArguments source, string text)
        {
            Items = items;
            Source = source;
            Text = text;
        }

        public ArchitectureParser.Items Items { get; }

        public AttributeArguments Source { get; }

        public string Text { get; }

        /// <summary>The items in their normal form: what a teacher assistant's two attributes must agree on.</summary>
        public string Normalized => string.Join(",", new[] { Items.Input.Text }.Concat(Items.Layers.Select(l => l.Text)));
    }

    private static Architecture? ReadLayers(string className, AttributeArguments? teacher, AttributeArguments? student, List<DiagnosticInfo> diagnostics)
    {
        var teacherLayers = teacher is null ? null : ParseLayers(teacher, diagnostics, required: student is null || !Written(student));
        var studentLayers = student is null ? null : ParseLayers(student, diagnostics, required: teacher is null);
        if (teacherLayers is { } t && studentLayers is { } s && t.Normalized != s.Normalized)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingArchitecture, student!.LocationOf(LayersName),
                className, LayersName, "\"" + t.Text + "\"", "\"" + s.Text + "\""));
        }
        return teacherLayers ?? studentLayers;

        static bool Written(AttributeArguments arguments) =>
            arguments.TryGetValue(LayersName, out var value) && !string.IsNullOrEmpty(value.Value as string);
    }

    /// <summary>Parses one attribute's Layers; an empty or missing list is an error only when <paramref name="required"/>.</summary>
    private static Architecture? ParseLayers(AttributeArguments arguments, List<DiagnosticInfo> diagnostics, bool required)
    {
        if (!arguments.TryGetValue(LayersName, out var constant))
        {
            if (required && !arguments.IsWritten(LayersName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooFewLayers, arguments.Location, "", 0));
            }
            return null;
        }
        string text = constant.Value as string ?? "";
        if (text.Length == 0 && !required)
        {
            return null;
        }

        var (items, count, problem) = ArchitectureCache.Parse(text);
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedLayers,
                arguments.LocationWithin(LayersName, text, problem.Start, problem.Length), problem.Start + 1, problem.Message));
            return null;
        }
        if (count < 2)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooFewLayers, arguments.LocationOf(LayersName), text, count));
            return null;
        }
        return new Architecture(items!, arguments, text);
    }

    /// <summary>Shape inference over the declared items, reporting the first problem inside the string.</summary>
    private static IReadOnlyList<Layer>? Analyse(Architecture architecture, double dropout, List<DiagnosticInfo> diagnostics)
    {
        var (layers, problem) = ArchitectureCache.Analyse(architecture.Text, architecture.Items, dropout);
        if (problem is null)
        {
            return layers;
        }
        var source = architecture.Source;
        diagnostics.Add(problem.Descriptor == DiagnosticDescriptors.NetworkTooLarge
            ? DiagnosticInfo.Create(problem.Descriptor, source.LocationOf(LayersName), architecture.Text)
            : DiagnosticInfo.Create(problem.Descriptor, source.LocationWithin(LayersName, architecture.Text, problem.Start, problem.Length),
                problem.Start + 1, problem.Message));
        return null;
    }

    /// <summary>
    /// A teacher assistant's two attributes describe one network: a property set in both must agree
    /// (DD0006 on the student's argument otherwise). Returns whichever is set, the teacher's first.
    /// </summary>
    private static T? Agree<T>(string className, string property, T? fromTeacher, T? fromStudent, AttributeArguments? student,
        System.Func<T, string> show, List<DiagnosticInfo> diagnostics)
        where T : struct
    {
        if (fromTeacher is { } t && fromStudent is { } s && !EqualityComparer<T>.Default.Equals(t, s))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingArchitecture, student!.LocationOf(property),
                className, property, show(t), show(s)));
        }
        return fromTeacher ?? fromStudent;
    }

    private static ActivationKind ReadActivation(string className, AttributeArguments? teacher, AttributeArguments? student, List<DiagnosticInfo> diagnostics)
    {
        ActivationKind? Read(AttributeArguments? arguments)
        {
            if (arguments is null || !arguments.TryGetValue(ActivationName, out var constant) || constant.Value is not int value)
            {
                return null;
            }
            if (!System.Enum.IsDefined(typeof(ActivationKind), value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownActivation, arguments.LocationOf(ActivationName), value));
                return null;
            }
            return (ActivationKind)value;
        }

        return Agree(className, ActivationName, Read(teacher), Read(student), student, activation => activation.ToString(), diagnostics)
            ?? ActivationKind.ReLU;
    }

    private static double ReadDropout(string className, AttributeArguments? teacher, AttributeArguments? student, List<DiagnosticInfo> diagnostics)
    {
        double? Read(AttributeArguments? arguments)
        {
            if (arguments is null || !arguments.TryGetDouble(DropoutName, out double value))
            {
                return null;
            }
            if (!(value >= 0 && value < 1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropout, arguments.LocationOf(DropoutName), Literals.Format(value)));
                return null;
            }
            return value;
        }

        return Agree(className, DropoutName, Read(teacher), Read(student), student, Literals.Format, diagnostics) ?? 0;
    }
}
