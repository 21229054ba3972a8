using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>The columns of a table that <see cref="TableOptions"/> chooses: the features in order, and the label.</summary>
internal sealed record TableColumns(int[] Features, string[] FeatureNames, int? Label, string? LabelName)
{
    /// <summary>Finds the chosen columns among <paramref name="columns"/>; a name not there is an error that lists the table's columns.</summary>
    public static TableColumns Choose(IReadOnlyList<string> columns, TableOptions options, string origin)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
        {
            if (!index.TryAdd(columns[i], i))
            {
                throw new InvalidDataException($"{origin}: the column name '{columns[i]}' appears twice (columns {index[columns[i]] + 1} and {i + 1}).");
            }
        }
        int Find(string name, string role) => index.TryGetValue(name, out int i)
            ? i
            : throw new InvalidDataException($"{origin} has no {role} column '{name}'; its columns are {List(columns)}.");

        int? label = options.Label is { } labelName ? Find(labelName, "label") : null;
        int[] features = options.Features is { } names
            ? names.Select(name => Find(name, "feature")).ToArray()
            : Enumerable.Range(0, columns.Count).Where(i => i != label).ToArray();
        if (features.Length == 0)
        {
            throw new InvalidDataException($"{origin} has no feature columns (its columns are {List(columns)}).");
        }
        if (label is { } l && features.Contains(l))
        {
            throw new ArgumentException($"The label column '{options.Label}' is also listed as a feature of {origin}.", nameof(options));
        }
        return new TableColumns(features, features.Select(i => columns[i]).ToArray(), label, options.Label);
    }

    private static string List(IReadOnlyList<string> columns) =>
        columns.Count <= 20
            ? string.Join(", ", columns.Select(c => $"'{c}'"))
            : string.Join(", ", columns.Take(20).Select(c => $"'{c}'")) + $" and {columns.Count - 20} more";
}
