using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclarativeDistill.Generators.Parsing;

/// <summary>What the annotated class must be for the generator to extend it, and how to name it.</summary>
internal static class DeclarationChecks
{
    /// <summary>Reports why <paramref name="type"/> cannot become a network, at <paramref name="location"/>.</summary>
    public static void Check(INamedTypeSymbol type, string attributeName, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        if (!type.Locations.Any(l => l.IsInSource))
        {
            return; // compiled elsewhere, by the generator of that assembly
        }

        string name = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        if (type.IsRecord)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPlainClass, location, name, "a record"));
        }
        else if (type.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPlainClass, location, name, "static"));
        }
        if (!IsPartial(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, location, name, attributeName));
        }
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericClass, location,
                    t.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                break;
            }
        }
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!IsPartial(outer))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, name,
                    outer.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                break;
            }
        }
        if (type.BaseType is { } baseType
            && baseType.SpecialType != SpecialType.System_Object
            && baseType.TypeKind != TypeKind.Error
            && baseType.ToDisplayString() != KnownNames.TorchModule)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HasBaseClass, location, name,
                baseType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
        }
    }

    /// <summary>The namespace and nesting of <paramref name="type"/> as plain data.</summary>
    public static TypeDeclaration Describe(INamedTypeSymbol type)
    {
        var containing = new List<INamedTypeSymbol>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, outer);
        }
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new TypeDeclaration(
            ns,
            type.Name,
            containing.Select(t => "partial " + Keyword(t) + " " + Identifiers.Escape(t.Name)).ToEquatableArray(),
            containing.Select(t => t.Name).ToEquatableArray());
    }

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };
}
