using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// Labels as a table holds them, turned into class indices: integers are the indices themselves; names become 0, 1, ...
/// in ordinal order, or in the order the user fixed.
/// </summary>
internal static class ClassLabels
{
    /// <param name="texts">Each row's label, as written.</param>
    /// <param name="classNames">The classes in index order, if the user fixed them.</param>
    /// <param name="where">Names row i's place for a message ("data.csv, line 12, column 'species'").</param>
    public static (long[] Labels, int ClassCount, IReadOnlyList<string>? Names) Map(
        IReadOnlyList<string> texts, IReadOnlyList<string>? classNames, Func<int, string> where)
    {
        var labels = new long[texts.Count];
        if (classNames is null && AllIntegers(texts, labels, where))
        {
            int count = labels.Length == 0 ? 0 : checked((int)labels.Max() + 1);
            return (labels, count, null);
        }

        if (classNames is not null && AllIntegers(texts, labels, where, quiet: true))
        {
            // Integer labels with names given for them: the names label the indices.
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] >= classNames.Count)
                {
                    throw new InvalidDataException($"{where(i)}: label {labels[i]} is outside the {classNames.Count} classes named ({string.Join(", ", classNames)}).");
                }
            }
            return (labels, classNames.Count, classNames);
        }

        var names = classNames ?? texts.Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Count; c++)
        {
            index[names[c]] = c;
        }
        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i].Length == 0)
            {
                throw new InvalidDataException($"{where(i)}: the label is empty.");
            }
            labels[i] = index.TryGetValue(texts[i], out int c)
                ? c
                : throw new InvalidDataException($"{where(i)}: '{texts[i]}' is not one of the classes {string.Join(", ", names)}.");
        }
        return (labels, names.Count, names);
    }

    /// <summary>Whether every label is a whole number; fills <paramref name="labels"/>. A negative one is an error (unless quiet).</summary>
    private static bool AllIntegers(IReadOnlyList<string> texts, long[] labels, Func<int, string> where, bool quiet = false)
    {
        for (int i = 0; i < texts.Count; i++)
        {
            if (!long.TryParse(texts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out labels[i]))
            {
                return false;
            }
            if (labels[i] < 0 || labels[i] >= int.MaxValue)
            {
                return quiet ? false : throw new InvalidDataException($"{where(i)}: label {texts[i]} is not a class index (0, 1, 2, ...).");
            }
        }
        return true;
    }
}
