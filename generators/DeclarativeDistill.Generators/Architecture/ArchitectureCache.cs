using System.Collections.Concurrent;
using System.Collections.Generic;

namespace DeclarativeDistill.Generators.Architecture;

/// <summary>
/// Remembers the parse and the analysis of <c>Layers</c> strings across runs of the generator. Roslyn runs every
/// network's transform again after any edit anywhere in the compilation, and nearly every string it meets is one
/// it met in the previous run; both steps are pure functions of the text (and the class's dropout), so their
/// results are kept rather than recomputed. Bounded: cleared when it grows past <see cref="Capacity"/> entries.
/// </summary>
internal static class ArchitectureCache
{
    private const int Capacity = 4096;

    private static readonly ConcurrentDictionary<string, (ArchitectureParser.Items? Items, int Count, ArchitectureParser.Problem? Problem)> Parsed = new();
    private static readonly ConcurrentDictionary<(string Text, double Dropout), (IReadOnlyList<Layer>? Layers, ShapeRules.Problem? Problem)> Analysed = new();

    /// <summary><see cref="ArchitectureParser.Parse"/>, remembered.</summary>
    public static (ArchitectureParser.Items? Items, int Count, ArchitectureParser.Problem? Problem) Parse(string text)
    {
        Bound(Parsed);
        return Parsed.GetOrAdd(text, ArchitectureParser.Parse);
    }

    /// <summary><see cref="ShapeRules.Analyse"/> of the items that <paramref name="text"/> parses to, remembered.</summary>
    public static (IReadOnlyList<Layer>? Layers, ShapeRules.Problem? Problem) Analyse(string text, ArchitectureParser.Items items, double dropout)
    {
        Bound(Analysed);
        return Analysed.GetOrAdd((text, dropout), _ => ShapeRules.Analyse(items, dropout));
    }

    private static void Bound<TKey, TValue>(ConcurrentDictionary<TKey, TValue> entries)
        where TKey : notnull
    {
        if (entries.Count > Capacity)
        {
            entries.Clear();
        }
    }
}
