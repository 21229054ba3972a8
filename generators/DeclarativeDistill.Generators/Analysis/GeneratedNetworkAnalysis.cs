using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Declarations;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// A network declared by its <c>Layers</c>: the grammar reads the items, shape inference analyses them, and the values
/// of <c>Activation</c> and <c>Dropout</c> are checked. A teacher assistant's two attributes describe one network and
/// must agree (DD0006 on the student's argument otherwise).
/// </summary>
internal static class GeneratedNetworkAnalysis
{
    private const string LayersName = nameof(NetworkAttribute.Layers);
    private const string ActivationName = nameof(NetworkAttribute.Activation);
    private const string DropoutName = nameof(NetworkAttribute.Dropout);

    public static NetworkResult Analyse(NetworkDeclaration declaration)
    {
        var diagnostics = declaration.Diagnostics.ToList();
        var (teacher, student) = (declaration.Teacher, declaration.Student);
        string className = declaration.Type.Name;
        var architecture = ReadLayers(className, teacher, student, diagnostics);
        var activation = ReadActivation(className, teacher, student, diagnostics);
        double dropout = ReadDropout(className, teacher, student, diagnostics);

        var layers = architecture is { } declared ? Analyse(declared, activation, dropout, diagnostics) : null;
        // What stands in when the network is invalid: the input and classes the declaration gives.
        var input = architecture?.Items.Input.Shape;
        int outputSize = layers is { } inferred ? (int)inferred[inferred.Count - 1].Output.Channels : 0;
        if (layers is { } analysed)
        {
            var network = new NetworkSpec
            {
                Type = declaration.Type,
                Role = declaration.Role,
                Source = NetworkSource.Generated,
                Input = input!,
                OutputSize = outputSize,
                Layers = analysed,
                Activation = activation,
                Dropout = dropout,
            };
            if (dropout > 0 && !network.HasClassDropout)
            {
                var source = teacher is not null && teacher.IsWritten(DropoutName) ? teacher : student!;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutWithoutHiddenLayers, source.LocationOf(DropoutName),
                    className, Literals.Format(dropout)));
            }
            var generated = new HashSet<string>(GeneratedMembers.Network);
            generated.UnionWith(analysed.Where(l => l.Field is not null).Select(l => l.Field!));
            if (network.HasClassDropout)
            {
                generated.Add(GeneratedMembers.ClassDropout);
            }
            MemberConflicts.Check(declaration.Members, declaration.MessageName, network: true, generated, declaration.Primary.Location, diagnostics);
            if (!diagnostics.Any(d => d.IsError))
            {
                return new NetworkResult(network, diagnostics.ToEquatableArray());
            }
        }
        return new NetworkResult(null, diagnostics.ToEquatableArray(), Placeholders.ForNetwork(declaration, diagnostics, input, outputSize));
    }

    /// <summary>The items of a <c>Layers</c> string, and the attribute and text they were read from (for locations).</summary>
    private readonly struct Architecture
    {
        public Architecture(ArchitectureGrammar.Items items, AttributeCapture source, string text)
        {
            Items = items;
            Source = source;
            Text = text;
        }

        public ArchitectureGrammar.Items Items { get; }

        public AttributeCapture Source { get; }

        public string Text { get; }
    }

    private static Architecture? ReadLayers(string className, AttributeCapture? teacher, AttributeCapture? student, List<DiagnosticInfo> diagnostics)
    {
        var teacherLayers = teacher is null ? null : ParseLayers(teacher, diagnostics, required: student is null || !Written(student));
        var studentLayers = student is null ? null : ParseLayers(student, diagnostics, required: teacher is null);
        if (teacherLayers is { } t && studentLayers is { } s && t.Items.Normalized != s.Items.Normalized)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingArchitecture, student!.LocationOf(LayersName),
                className, LayersName, "\"" + t.Text + "\"", "\"" + s.Text + "\""));
        }
        return teacherLayers ?? studentLayers;

        static bool Written(AttributeCapture arguments) =>
            arguments.TryGetText(LayersName, out string? text) && !string.IsNullOrEmpty(text);
    }

    /// <summary>Parses one attribute's Layers; an empty or missing list is an error only when <paramref name="required"/>.</summary>
    private static Architecture? ParseLayers(AttributeCapture arguments, List<DiagnosticInfo> diagnostics, bool required)
    {
        if (!arguments.TryGetText(LayersName, out string? written))
        {
            if (required && !arguments.IsWritten(LayersName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooFewLayers, arguments.Location, "", 0));
            }
            return null;
        }
        string text = written ?? "";
        if (text.Length == 0 && !required)
        {
            return null;
        }

        var (items, count, problem) = ArchitectureGrammar.Parse(text);
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedLayers,
                arguments.LocationWithin(LayersName, problem.Start, problem.Length), problem.Start + 1, problem.Message));
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
    private static EquatableArray<Layer>? Analyse(Architecture architecture, Activation activation, double dropout, List<DiagnosticInfo> diagnostics)
    {
        var (layers, problem) = ShapeInference.Analyse(architecture.Items, activation, dropout);
        if (problem is null)
        {
            return layers;
        }
        var source = architecture.Source;
        diagnostics.Add(problem.Descriptor == DiagnosticDescriptors.NetworkTooLarge
            ? DiagnosticInfo.Create(problem.Descriptor, source.LocationOf(LayersName), architecture.Text)
            : DiagnosticInfo.Create(problem.Descriptor, source.LocationWithin(LayersName, problem.Start, problem.Length),
                problem.Start + 1, problem.Message));
        return null;
    }

    /// <summary>
    /// A teacher assistant's two attributes describe one network: a property set in both must agree
    /// (DD0006 on the student's argument otherwise). Returns whichever is set, the teacher's first.
    /// </summary>
    private static T? Agree<T>(string className, string property, T? fromTeacher, T? fromStudent, AttributeCapture? student,
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

    private static Activation ReadActivation(string className, AttributeCapture? teacher, AttributeCapture? student, List<DiagnosticInfo> diagnostics)
    {
        Activation? Read(AttributeCapture? arguments)
        {
            if (arguments is null || !arguments.TryGetNumber(ActivationName, out double number))
            {
                return null;
            }
            int value = (int)number;
            if (!System.Enum.IsDefined(typeof(Activation), value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownActivation, arguments.LocationOf(ActivationName), value));
                return null;
            }
            return (Activation)value;
        }

        return Agree(className, ActivationName, Read(teacher), Read(student), student, activation => activation.ToString(), diagnostics)
            ?? Activation.ReLU;
    }

    private static double ReadDropout(string className, AttributeCapture? teacher, AttributeCapture? student, List<DiagnosticInfo> diagnostics)
    {
        double? Read(AttributeCapture? arguments)
        {
            if (arguments is null || !arguments.TryGetNumber(DropoutName, out double value))
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
