using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>What the annotated class must be for the generator to extend it, and how to name it.</summary>
internal static class ClassChecks
{
    /// <summary>Reports why <paramref name="type"/> cannot become a network, on the attribute <paramref name="where"/>.</summary>
    public static void Check(INamedTypeSymbol type, string attributeName, LocationInfo? where, List<DiagnosticInfo> diagnostics, bool handWritten = false)
    {
        if (!type.Locations.Any(l => l.IsInSource))
        {
            return; // compiled elsewhere, by the generator of that assembly
        }

        string? kind = type switch
        {
            { TypeKind: TypeKind.Struct } => "a struct",
            { TypeKind: TypeKind.Interface } => "an interface",
            { IsRecord: true } => "a record",
            { IsStatic: true } => "static",
            { IsAbstract: true } => "abstract",
            _ when IsFileLocal(type) => "file-local",
            _ => null,
        };
        if (kind is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAPlainClass, where, Name(type), kind));
            if (type.TypeKind != TypeKind.Class)
            {
                return; // the other checks assume a class
            }
        }

        if (!IsPartial(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, where, Name(type), attributeName));
        }
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericClass, where,
                    t.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                break;
            }
        }
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!IsPartial(outer))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, where, Name(type),
                    outer.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                break;
            }
        }
        // A hand-written module has a base of its own (DD0055 checks that it is a module).
        if (!handWritten
            && type.BaseType is { } baseType
            && baseType.SpecialType != SpecialType.System_Object
            && baseType.TypeKind != TypeKind.Error
            && baseType.ToDisplayString() != KnownNames.TorchModule)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.HasBaseClass, where, Name(type),
                baseType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
        }
    }

    /// <summary>
    /// Whether a generated partial declaration can extend <paramref name="type"/>: it passes <see cref="Check"/>, whose
    /// base-class rule does not matter to members added beside the class's own (a <c>[Distill]</c>'s).
    /// </summary>
    public static bool CanExtend(INamedTypeSymbol type)
    {
        var problems = new List<DiagnosticInfo>();
        Check(type, "Distill", null, problems, handWritten: true);
        return problems.Count == 0 && type.Locations.Any(l => l.IsInSource);
    }

    /// <summary>
    /// The members the user declared in <paramref name="type"/>, as the member-conflict check needs them (names and
    /// kinds); empty for a type compiled elsewhere. <c>MemberNames</c> comes from the declarations without building
    /// member symbols, so a class with an empty body (most declarations) costs nothing here.
    /// </summary>
    public static EquatableArray<DeclaredMember> Members(INamedTypeSymbol type)
    {
        if (!type.MemberNames.Any() || !type.Locations.Any(l => l.IsInSource))
        {
            return EquatableArray<DeclaredMember>.Empty;
        }
        var members = new List<DeclaredMember>();
        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }
            var kind = member switch
            {
                IMethodSymbol { MethodKind: MethodKind.Constructor, Parameters.Length: 0, IsStatic: false } => MemberKind.ParameterlessConstructor,
                IMethodSymbol { Name: "forward" } => MemberKind.Forward,
                IMethodSymbol => MemberKind.Method,
                _ => MemberKind.Other,
            };
            members.Add(new DeclaredMember(member.Name, kind));
        }
        return members.ToEquatableArray();
    }

    /// <summary>The namespace and nesting of <paramref name="type"/> as plain data.</summary>
    public static TypeDeclaration Describe(INamedTypeSymbol type)
    {
        var containing = new List<INamedTypeSymbol>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, outer);
        }
        string ns = NamespaceName(type.ContainingNamespace);
        return new TypeDeclaration(
            ns,
            type.Name,
            containing.Select(t => "partial " + Keyword(t) + " " + Identifiers.Escape(t.Name)).ToEquatableArray(),
            containing.Select(t => t.Name).ToEquatableArray());
    }

    /// <summary>
    /// <c>Outer.Inner</c>, or empty for the global namespace: the names joined directly, as this runs for every
    /// declaration after every edit and <c>ToDisplayString</c> goes through the symbol display machinery.
    /// </summary>
    private static string NamespaceName(INamespaceSymbol? symbol)
    {
        if (symbol is null || symbol.IsGlobalNamespace)
        {
            return "";
        }
        string outer = NamespaceName(symbol.ContainingNamespace);
        return outer.Length == 0 ? symbol.Name : outer + "." + symbol.Name;
    }

    /// <summary>
    /// The class as messages name it (<c>Demo.Outer.Inner</c>). Without type parameters that is the namespace and the
    /// names joined, which the transforms build anyway; only a generic class (an error of its own) needs the symbol
    /// display machinery for its <c>&lt;T&gt;</c>.
    /// </summary>
    public static string MessageName(INamedTypeSymbol type, TypeDeclaration declaration)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                return Name(type);
            }
        }
        return declaration.DisplayName;
    }

    /// <summary>The class as messages name it; built only when there is something to report.</summary>
    private static string Name(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    /// <summary>
    /// Whether the type, or the type it is nested in, is declared <c>file</c>: visible only in its own file,
    /// so the generated part in another file cannot extend it. Read from the modifiers, as the generator
    /// builds against a Roslyn older than <c>IsFileLocal</c>.
    /// </summary>
    private static bool IsFileLocal(INamedTypeSymbol type)
    {
        var outermost = type;
        while (outermost.ContainingType is { } containing)
        {
            outermost = containing;
        }
        return outermost.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(m => m.ValueText == "file"));
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
