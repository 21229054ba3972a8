using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using nietras.SeparatedValues;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>Where a file of text records keeps each record's text and label.</summary>
public sealed record TextRecordOptions
{
    /// <summary>The text's column (CSV/TSV header) or property (JSON lines): <c>text</c> by default.</summary>
    public string Text { get; init; } = "text";

    /// <summary>The label's column or property: <c>label</c> by default. Labels are class names (or numbers), ordered by name.</summary>
    public string Label { get; init; } = "label";

    /// <summary>The CSV separator: detected by Sep when null (comma, tab, semicolon, ...).</summary>
    public char? Separator { get; init; }
}

/// <summary>
/// Labelled texts (an e-mail and whether it is spam, a ticket and its team): read from CSV/TSV or JSON lines, split with
/// a seed, and encoded by a <see cref="TextTokenizer"/> into token ids a text network reads.
/// </summary>
public sealed class TextRecords
{
    private TextRecords(IReadOnlyList<string> texts, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, string origin)
    {
        Texts = texts;
        Labels = labels;
        ClassNames = classNames;
        Origin = origin;
    }

    /// <summary>The texts, in file order.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>Each text's class, an index into <see cref="ClassNames"/>.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The classes, ordered by name (numbers by value).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Where the records come from, for messages.</summary>
    public string Origin { get; }

    /// <summary>Records.</summary>
    public int Count => Texts.Count;

    /// <summary>Records from texts and their class names.</summary>
    public static TextRecords From(IReadOnlyList<string> texts, IReadOnlyList<string> labels, string origin = "texts")
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        if (texts.Count != labels.Count)
        {
            throw new ArgumentException($"{texts.Count} texts but {labels.Count} labels.", nameof(labels));
        }
        var names = labels.Distinct(StringComparer.Ordinal).OrderBy(l => l, ClassOrder).ToArray();
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        return new TextRecords(texts.ToArray(), labels.Select(l => index[l]).ToArray(), names, origin);
    }

    /// <summary>A CSV or TSV file with a header, parsed by Sep; quoted texts may hold separators and line breaks.</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a text or label is empty: the message names the file and line.</exception>
    public static TextRecords FromCsv(string path, TextRecordOptions? options = null)
    {
        options ??= new TextRecordOptions();
        Exists(path);
        var sepOptions = new SepReaderOptions(options.Separator is { } separator ? new Sep(separator) : null) { HasHeader = true, Unescape = true };
        using var reader = sepOptions.FromFile(path);
        int text = Column(reader.Header.ColNames, options.Text, path), label = Column(reader.Header.ColNames, options.Label, path);
        var texts = new List<string>();
        var labels = new List<string>();
        foreach (var row in reader)
        {
            string line = $"{path}, line {row.LineNumberFrom}";
            texts.Add(NotEmpty(row[text].ToString(), line, options.Text));
            labels.Add(NotEmpty(row[label].Span.Trim().ToString(), line, options.Label));
        }
        return Records(texts, labels, path);
    }

    /// <summary>A JSON lines file: one object per line, with the text and label properties (a label may be a string or a number).</summary>
    /// <exception cref="InvalidDataException">A line is not a JSON object, or lacks a property: the message names the file and line.</exception>
    public static TextRecords FromJsonLines(string path, TextRecordOptions? options = null)
    {
        options ??= new TextRecordOptions();
        Exists(path);
        var texts = new List<string>();
        var labels = new List<string>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string where = $"{path}, line {number}";
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                texts.Add(NotEmpty(Property(root, options.Text, where), where, options.Text));
                labels.Add(NotEmpty(Property(root, options.Label, where), where, options.Label));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{where}: not a JSON object ({e.Message}).", e);
            }
        }
        return Records(texts, labels, path);
    }

    /// <summary>
    /// A seeded split, stratified by class (each class split in the same proportion), as two sets of records: the
    /// tokenizer is then built on the training records only.
    /// </summary>
    public (TextRecords Train, TextRecords Test) Split(double test, int seed = 1)
    {
        if (!(test > 0 && test < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(test), $"The test fraction must be between 0 and 1; got {test}.");
        }
        var random = new Random(seed);
        var testRows = new HashSet<int>();
        foreach (var group in Enumerable.Range(0, Count).GroupBy(i => Labels[i]))
        {
            var rows = group.OrderBy(_ => random.Next()).ToList();
            testRows.UnionWith(rows.Take((int)Math.Round(rows.Count * test)));
        }
        TextRecords Take(bool inTest)
        {
            var rows = Enumerable.Range(0, Count).Where(i => testRows.Contains(i) == inTest).ToList();
            return new TextRecords(rows.Select(i => Texts[i]).ToArray(), rows.Select(i => Labels[i]).ToArray(), ClassNames, Origin);
        }
        return (Take(false), Take(true));
    }

    /// <summary>
    /// The records as token ids, <paramref name="length"/> per text (cut or padded with 0), labelled and named by class, with
    /// the tokenizer attached: a network trained on them keeps it.
    /// </summary>
    public LabeledDataset Encode(TextTokenizer tokenizer, int length)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var ids = new float[checked(Count * length)];
        for (int i = 0; i < Count; i++)
        {
            tokenizer.Encode(Texts[i], length).CopyTo(ids, i * length);
        }
        using var plain = new LabeledDataset(tensor(ids, new long[] { Count, length }), tensor(Labels.Select(l => (long)l).ToArray()), ClassNames.Count);
        using var named = plain.WithClassNames(ClassNames);
        return named.WithTokenizer(tokenizer);
    }

    private static readonly Comparer<string> ClassOrder = Comparer<string>.Create((a, b) =>
        double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out double y)
            ? x.CompareTo(y)
            : string.CompareOrdinal(a, b));

    private static TextRecords Records(List<string> texts, List<string> labels, string path)
    {
        if (texts.Count == 0)
        {
            throw new InvalidDataException($"{path} holds no records.");
        }
        return From(texts, labels, path);
    }

    private static void Exists(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Text records file not found: {path}", path);
        }
    }

    private static int Column(IReadOnlyList<string> names, string name, string path)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i].Trim(), name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new InvalidDataException($"{path} has no column '{name}'; its columns are {string.Join(", ", names)}.");
    }

    private static string Property(JsonElement root, string name, string where)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"{where}: no property '{name}'.");
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new InvalidDataException($"{where}: '{name}' is {value.ValueKind}, not a string or a number."),
        };
    }

    private static string NotEmpty(string value, string where, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"{where}: the {name} is empty.") : value;
}
