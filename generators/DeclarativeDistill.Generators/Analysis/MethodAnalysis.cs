using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Methods;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Judges a student's methods: each constant against its rule (at the argument), a method whose parts are all weighted
/// by 0, and, for a layer method, its layers against the student's and its teachers' (as hints are) and whether the
/// method can compare their outputs.
/// </summary>
internal static class MethodAnalysis
{
    /// <summary>
    /// The methods with every constant (declared or default) and their layers resolved. Without a student shape the layers
    /// cannot be resolved: the constants are still checked, and the distillation is not emitted for its own reasons.
    /// </summary>
    public static EquatableArray<ResolvedMethod> Analyse(EquatableArray<MethodRequest> methods, NetworkSummary? student,
        IReadOnlyList<TeacherReference> teachers, List<DiagnosticInfo> diagnostics)
    {
        if (methods.IsEmpty)
        {
            return EquatableArray<ResolvedMethod>.Empty;
        }
        var resolved = new List<ResolvedMethod>();
        foreach (var method in methods)
        {
            if (MethodKinds.Find(method.Kind) is not { } kind)
            {
                continue; // the reader only reads known kinds
            }
            var values = Values(kind, method.Attribute, diagnostics);
            ResolvedLayerPair? layers = null;
            if (method.Layers is { } pair)
            {
                if (student is null || LayerPairs.Resolve(pair, $"[{kind.AttributeName}] reads", student, teachers, diagnostics) is not { } found)
                {
                    continue;
                }
                if (kind.IncompatibleShapes(found.TeacherLayer, found.StudentLayer) is { } why)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodShapesIncompatible, pair.StudentLayerLocation, kind.AttributeName, why));
                    continue;
                }
                if (resolved.Any(r => r.Kind == method.Kind && r.Layers is { } other && other.Teacher == found.Teacher
                    && other.TeacherLayer.Name == found.TeacherLayer.Name && other.StudentLayer.Name == found.StudentLayer.Name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMethod, pair.AttributeLocation, kind.AttributeName,
                        $"already compares '{found.StudentLayer.Name}' with '{found.TeacherLayer.Name}' of '{found.TeacherName}'"));
                    continue;
                }
                layers = found;
            }
            else if (resolved.Any(r => r.Kind == method.Kind))
            {
                // The compiler says CS0579 too; this says what to do.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMethod, method.Attribute.Location, kind.AttributeName,
                    "is declared twice: a method on the logits is one term, so write it once with the constants you mean"));
                continue;
            }
            resolved.Add(new ResolvedMethod(method.Kind, values, layers));
        }
        return resolved.ToEquatableArray();
    }

    /// <summary>Every constant of <paramref name="kind"/>: written (DD0068 when out of its range) or its default; DD0069 when all its parts weigh 0.</summary>
    private static EquatableArray<MethodValue> Values(MethodKind kind, AttributeCapture attribute, List<DiagnosticInfo> diagnostics)
    {
        var values = new List<MethodValue>(kind.Constants.Count);
        bool valid = true;
        foreach (var constant in kind.Constants)
        {
            bool written = attribute.TryGetNumber(constant.Property, out double value);
            if (!written)
            {
                value = constant.Default;
            }
            else if (!constant.Allows(value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMethodConstant, attribute.LocationOf(constant.Property),
                    kind.AttributeName, constant.Property, constant.Expected, Literals.Format(value)));
                valid = false;
            }
            values.Add(new MethodValue(constant.Property, value, written, constant.Rule == ConstantRule.WholeNonNegative));
        }
        var parts = values.Where(v => kind.Parts.Contains(v.Property)).ToList();
        if (valid && parts.Count > 0 && parts.All(p => p.Value == 0))
        {
            // Every part's default is positive, so every part was written: the last written is where the loss went to nothing.
            var last = parts.Select(p => attribute.LocationOf(p.Property)).OrderBy(l => l?.Span.Start ?? -1).Last();
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodWeighsNothing, last,
                kind.AttributeName, string.Join(", ", parts.Select(p => $"{p.Property} = 0"))));
        }
        return values.ToEquatableArray();
    }
}
