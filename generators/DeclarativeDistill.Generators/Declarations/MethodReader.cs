using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Methods;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// Reads the method attributes of a student (<c>[Dkd]</c>, <c>[AttentionTransfer]</c>...: every <see cref="MethodKind"/>):
/// their arguments as written, the layers a layer method pairs, and the mistakes that need no network to see (arguments
/// of the wrong type, a layer not named). Constants are judged, and layers resolved, in the analysis.
/// </summary>
internal static class MethodReader
{
    /// <summary>The methods of <paramref name="student"/>, in source order.</summary>
    public static EquatableArray<MethodRequest> Read(INamedTypeSymbol student, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        List<MethodRequest>? methods = null;
        foreach (var attribute in student.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (MethodKinds.Of(attribute.AttributeClass) is not { } kind)
            {
                continue;
            }
            var arguments = new AttributeArguments(attribute, cancellationToken);
            bool wrongTypes = arguments.ReportWrongTypes(kind.ExpectedTypes,
                kind.ReadsLayers ? $"two layer names, e.g. [{kind.AttributeName}(\"res2\", \"conv3\")]" : null, diagnostics);
            var layers = kind.ReadsLayers
                ? LayerPairReader.Read(arguments, wrongTypes,
                    (location, missing) => DiagnosticInfo.Create(DiagnosticDescriptors.MethodIncomplete, location, kind.AttributeName, missing), diagnostics)
                : null;
            (methods ??= new List<MethodRequest>()).Add(new MethodRequest(kind.AttributeName, arguments.Capture(), layers));
        }
        return methods?.ToEquatableArray() ?? EquatableArray<MethodRequest>.Empty;
    }

    /// <summary>DD0066 on every method attribute of a class without <c>[Distill]</c>, which the distillation pipeline never sees.</summary>
    public static EquatableArray<DiagnosticInfo> CheckHasDistill(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (KnownNames.Find(type, KnownNames.DistillAttribute) is not null)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }
        string name = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        return context.Attributes
            .Select(a => DiagnosticInfo.Create(DiagnosticDescriptors.MethodWithoutDistill, new AttributeArguments(a, cancellationToken).Location,
                name, MethodKinds.Of(a.AttributeClass)?.AttributeName ?? a.AttributeClass?.Name ?? "?"))
            .ToEquatableArray();
    }
}
