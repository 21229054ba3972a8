using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Methods;

/// <summary>The methods <c>[Distill]</c> students can add, found as the layer kinds are: every concrete <see cref="MethodKind"/>, by <see cref="MethodKind.Order"/>.</summary>
internal static class MethodKinds
{
    public static readonly IReadOnlyList<MethodKind> All = typeof(MethodKind).Assembly.GetTypes()
        .Where(t => typeof(MethodKind).IsAssignableFrom(t) && !t.IsAbstract)
        .Select(t => (MethodKind)t.GetField("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
        .OrderBy(k => k.Order)
        .ToList();

    private static readonly Dictionary<string, MethodKind> ByName = All.ToDictionary(k => k.AttributeName);

    private static readonly Dictionary<string, MethodKind> ByClassName = All.ToDictionary(k => k.AttributeName + "Attribute");

    /// <summary>The kind of <c>[<paramref name="attributeName"/>]</c>, or null.</summary>
    public static MethodKind? Find(string attributeName) => ByName.TryGetValue(attributeName, out var kind) ? kind : null;

    /// <summary>The kind whose attribute <paramref name="type"/> is (a top-level class of the runtime's namespace), or null.</summary>
    public static MethodKind? Of(INamedTypeSymbol? type) =>
        type is { ContainingType: null, ContainingNamespace: { Name: "DeclarativeDistill", ContainingNamespace.IsGlobalNamespace: true } }
        && ByClassName.TryGetValue(type.MetadataName, out var kind)
            ? kind
            : null;
}
