using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Declarations;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// A TorchSharp module written by hand and declared by its shapes: <c>[Teacher(Input = "1x28x28", Outputs = 10)]</c>.
/// Nothing that describes generated layers may come with them, and the class must be a module.
/// </summary>
internal static class HandWrittenAnalysis
{
    private const string InputName = nameof(TeacherAttribute.Input);
    private const string OutputsName = nameof(TeacherAttribute.Outputs);

    /// <summary>What a hand-written teacher gets besides methods (the member-conflict check's names).</summary>
    internal static readonly string[] Members = { GeneratedMembers.InputSize, GeneratedMembers.InputShape, GeneratedMembers.OutputSize };

    public static NetworkResult Analyse(NetworkDeclaration declaration)
    {
        var diagnostics = declaration.Diagnostics.ToList();
        var teacher = declaration.Teacher!;
        string name = declaration.Type.Name;
        void Report(LocationInfo? location, string problem) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandWrittenDeclaration, location, name, problem));

        if (declaration.Student is { } student)
        {
            Report(student.Location, "a module declared by Input and Outputs cannot also be a [Student]: distillation trains generated networks");
        }
        foreach (string property in new[] { nameof(NetworkAttribute.Layers), nameof(NetworkAttribute.Activation), nameof(NetworkAttribute.Dropout) })
        {
            if (teacher.IsWritten(property))
            {
                Report(teacher.LocationOf(property), $"{property} describes generated layers, but a module declared by Input and Outputs has its own; remove {property}, or Input and Outputs");
            }
        }

        TensorShape? input = null;
        if (!teacher.TryGetText(InputName, out string? text) || text is null || text.Trim().Length == 0)
        {
            Report(teacher.IsWritten(InputName) ? teacher.LocationOf(InputName) : teacher.Location,
                "Input is missing: give the shape of one example, e.g. Input = \"1x28x28\" or Input = \"784\"");
        }
        else
        {
            input = ReadShape(teacher, text, Report);
        }

        int outputs = 0;
        if (!teacher.TryGetNumber(OutputsName, out double declared))
        {
            Report(teacher.IsWritten(OutputsName) ? teacher.LocationOf(OutputsName) : teacher.Location,
                "Outputs is missing: give the number of classes the module's logits have, e.g. Outputs = 10");
        }
        else if (declared < 1)
        {
            Report(teacher.LocationOf(OutputsName), $"Outputs is the number of classes and must be at least 1; got {(int)declared}");
        }
        else
        {
            outputs = (int)declared;
        }

        if (!declaration.IsModule)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HandWrittenNotAModule, teacher.Location, name));
        }
        MemberConflicts.Check(declaration.Members, declaration.MessageName, network: false, Members, teacher.Location, diagnostics);

        NetworkSpec? spec = null;
        if (!diagnostics.Any(d => d.IsError) && input is not null)
        {
            spec = new NetworkSpec
            {
                Type = declaration.Type,
                Role = NetworkRole.Teacher,
                Source = NetworkSource.HandWritten,
                Input = input,
                OutputSize = outputs,
            };
        }
        return new NetworkResult(spec, diagnostics.ToEquatableArray(),
            spec is null ? Placeholders.ForNetwork(declaration, diagnostics, input, outputs) : null);
    }

    /// <summary><c>Input</c> is the grammar's first item: read as a list with one class count after it, which is never wrong.</summary>
    private static TensorShape? ReadShape(AttributeCapture teacher, string text, System.Action<LocationInfo?, string> report)
    {
        var (items, count, problem) = ArchitectureGrammar.Parse(text + ", 1");
        if (problem is not null && problem.Start < text.Length)
        {
            report(teacher.LocationWithin(InputName, problem.Start, System.Math.Min(problem.Length, text.Length - problem.Start)),
                $"Input \"{text}\" at position {problem.Start + 1}: {problem.Message}");
            return null;
        }
        if (problem is not null || count != 2 || items is null)
        {
            report(teacher.LocationOf(InputName), $"Input is the shape of one example, e.g. \"1x28x28\" or \"784\"; \"{text}\" is not one shape");
            return null;
        }
        return items.Input.Shape;
    }
}
