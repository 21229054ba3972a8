using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// The kinds of item <c>Layers</c> knows, in the order messages list them (each kind's <see cref="LayerKind.Order"/>;
/// Mapperly keeps its mapping builders in such an ordered list). Every concrete <see cref="LayerKind"/> of this assembly
/// is one (its static <c>Instance</c>, and its variants' fields), so that a new kind is one file. A fully connected layer, written as its width, comes first; every other kind
/// is found by its name.
/// </summary>
internal static class LayerKinds
{
    /// <summary>Every kind, in order.</summary>
    public static readonly IReadOnlyList<LayerKind> All = typeof(LayerKind).Assembly.GetTypes()
        .Where(t => typeof(LayerKind).IsAssignableFrom(t) && !t.IsAbstract)
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(LayerKind).IsAssignableFrom(f.FieldType))
            .Select(f => (LayerKind)f.GetValue(null)!)) // a kind of several variants (lstm, bilstm, ...) has one field each
        .OrderBy(k => k.Order)
        .ToList();

    private static readonly Dictionary<string, LayerKind> ByName = All.Where(k => k.Name is not null).ToDictionary(k => k.Name!);

    /// <summary>The kinds as a list for messages: <c>a width such as 128, conv(C, K), ..., flatten or dropout(p)</c>.</summary>
    public static readonly string KnownItems = Listed("or");

    /// <summary>The same list for a description: <c>widths of fully connected layers, conv(C, K), ... and dropout(p)</c>.</summary>
    public static readonly string KnownItemsDescription = "widths of fully connected layers, " + string.Join(", ", Named().Take(Named().Count - 1)) + " and " + Named().Last();

    /// <summary>The kind written as <paramref name="name"/> (<c>conv</c>), or null.</summary>
    public static LayerKind? Find(string name) => ByName.TryGetValue(name, out var kind) ? kind : null;

    private static List<string> Named() => All.Where(k => k.Name is not null).Select(k => k.Usage).ToList();

    private static string Listed(string conjunction)
    {
        var usages = new[] { Dense.Instance.Usage }.Concat(Named()).ToList();
        return string.Join(", ", usages.Take(usages.Count - 1)) + " " + conjunction + " " + usages[usages.Count - 1];
    }
}
