using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// Reads the <c>[Hint]</c> attributes of a student: what each names and where, and the mistakes that need no other
/// network to see (a missing layer name). Whether the layers exist, the weight's range and the regressor come in
/// the analysis, from the networks' summaries.
/// </summary>
internal static class HintReader
{
    private const string WeightName = nameof(HintAttribute.Weight);

    private static readonly Dictionary<string, string> ExpectedTypes = new(LayerPairReader.ExpectedTypes.ToDictionary(p => p.Key, p => p.Value))
    {
        [WeightName] = "a positive number, e.g. 1",
        [LayerPairReader.TeacherName] = "the teacher giving the hint, e.g. typeof(MnistTeacher)",
    };

    /// <summary>The hints of <paramref name="student"/>, in source order.</summary>
    public static EquatableArray<HintRequest> Read(INamedTypeSymbol student, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var hints = new List<HintRequest>();
        foreach (var attribute in student.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!KnownNames.IsRuntimeType(attribute.AttributeClass, KnownNames.HintAttribute))
            {
                continue;
            }
            var arguments = new AttributeArguments(attribute, cancellationToken);
            bool wrongTypes = arguments.ReportWrongTypes(ExpectedTypes, "two layer names, e.g. [Hint(\"res2\", \"conv4\")]", diagnostics);
            var layers = LayerPairReader.Read(arguments, wrongTypes,
                (location, missing) => DiagnosticInfo.Create(DiagnosticDescriptors.HintIncomplete, location, missing), diagnostics);
            double weight = arguments.TryGetDouble(WeightName, out double value) ? value : HintAttribute.DefaultWeight;
            hints.Add(new HintRequest(layers, weight, arguments.LocationOf(WeightName)));
        }
        return hints.ToEquatableArray();
    }

    /// <summary>
    /// DD0057 on every <c>[Hint]</c> of a class without <c>[Distill]</c>, which the distillation pipeline never sees.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> CheckHasDistill(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (KnownNames.Find(type, KnownNames.DistillAttribute) is not null)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }
        string name = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        return context.Attributes
            .Select(a => DiagnosticInfo.Create(DiagnosticDescriptors.HintWithoutDistill, new AttributeArguments(a, cancellationToken).Location, name))
            .ToEquatableArray();
    }
}
