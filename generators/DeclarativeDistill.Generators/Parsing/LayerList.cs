using System.Collections.Generic;
using System.Globalization;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Parsing;

/// <summary>Parses a <c>Layers</c> string such as <c>"784, 800, 800, 10"</c>.</summary>
internal static class LayerList
{
    /// <summary>A problem at <see cref="Start"/> (0-based, in the string) spanning <see cref="Length"/> characters.</summary>
    public sealed record Problem(int Start, int Length, string Message);

    /// <summary>
    /// Splits on commas; each item, with surrounding spaces trimmed, must be a positive whole number that
    /// fits in an int. Returns the sizes, or the first problem. Fewer than two sizes is not checked here.
    /// </summary>
    public static (EquatableArray<int> Sizes, Problem? Problem) Parse(string text)
    {
        var sizes = new List<int>();
        int itemStart = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != ',')
            {
                continue;
            }
            var problem = ParseItem(text, itemStart, i, out int size);
            if (problem is not null)
            {
                return (default, problem);
            }
            sizes.Add(size);
            itemStart = i + 1;
        }
        return (sizes.ToEquatableArray(), null);
    }

    /// <summary>
    /// Where the first and the last width of a well-formed list stand (0-based start and length, spaces
    /// trimmed): the network's input and output sizes, for pointing at one of them.
    /// </summary>
    public static ((int Start, int Length) Input, (int Start, int Length) Output) Ends(string text)
    {
        int firstComma = text.IndexOf(',');
        var (inputFirst, inputLast) = Trim(text, 0, firstComma < 0 ? text.Length : firstComma);
        var (outputFirst, outputLast) = Trim(text, text.LastIndexOf(',') + 1, text.Length);
        return ((inputFirst, inputLast - inputFirst), (outputFirst, outputLast - outputFirst));
    }

    private static Problem? ParseItem(string text, int start, int end, out int size)
    {
        size = 0;
        var (first, last) = Trim(text, start, end);
        if (first == last)
        {
            string where = text.Length == 0 ? "the list is empty" : end == text.Length && start > 0 ? "nothing after the last comma" : start == 0 ? "nothing before the first comma" : "two commas with nothing between them";
            return new Problem(start, end - start, $"expected a layer width, found {where}");
        }

        string item = text.Substring(first, last - first);
        for (int i = 0; i < item.Length; i++)
        {
            char c = item[i];
            if (char.IsWhiteSpace(c))
            {
                string what = c == ' ' ? "a space" : c == '\t' ? "a tab" : $"the whitespace character U+{(int)c:X4}";
                return new Problem(first + i, 1, $"'{Escape(item)}' contains {what}; separate widths with commas");
            }
            if (c == '-' && i == 0 && item.Length > 1 && IsAsciiDigits(item.Substring(1)))
            {
                return new Problem(first, item.Length, $"layer width {item} is negative; widths must be positive");
            }
            if (c < '0' || c > '9')
            {
                return new Problem(first, item.Length, $"'{Escape(item)}' is not a whole number");
            }
        }
        if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            return new Problem(first, item.Length, $"layer width {item} is too large (at most {int.MaxValue})");
        }
        if (size == 0)
        {
            return new Problem(first, item.Length, "a layer width of 0 has no units; widths must be positive");
        }
        return null;
    }

    /// <summary>The item between <paramref name="start"/> and <paramref name="end"/> without its surrounding spaces.</summary>
    private static (int First, int Last) Trim(string text, int start, int end)
    {
        int first = start, last = end;
        while (first < last && text[first] == ' ')
        {
            first++;
        }
        while (last > first && text[last - 1] == ' ')
        {
            last--;
        }
        return (first, last);
    }

    private static bool IsAsciiDigits(string s)
    {
        foreach (char c in s)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return s.Length > 0;
    }

    private static string Escape(string s) => s.Replace("\t", "\\t").Replace("\r", "\\r").Replace("\n", "\\n");
}
