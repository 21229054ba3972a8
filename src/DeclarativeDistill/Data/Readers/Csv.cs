using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Collections.Generic;
using nietras.SeparatedValues;

namespace DeclarativeDistill;

public static partial class Datasets
{
    /// <summary>
    /// Loads a CSV or TSV file (parsed with Sep): one example a row, the feature columns as float32 exactly as written
    /// (no scaling: standardise them with <see cref="Normalization"/>), the label column as classes
    /// (<see cref="TableOptions.Label"/>). Quoted fields are unquoted.
    /// </summary>
    /// <example><c>var data = Datasets.FromCsv("wine.csv", new CsvOptions { Label = "class" });</c></example>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A column is missing, a row has another number of columns than the header, a feature is not a finite number, or a
    /// label is not one of the classes: the message names the file, the line and the column.
    /// </exception>
    public static LabeledDataset FromCsv(string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new CsvOptions();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CSV file not found: {path}", path);
        }
        if (new FileInfo(path).Length == 0)
        {
            throw new InvalidDataException($"{path} is empty.");
        }

        // Sep reads every row as data, the header included, so that the header is checked here like any row.
        var sepOptions = new SepReaderOptions(options.Separator is { } separator ? new nietras.SeparatedValues.Sep(separator) : null)
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true, // checked here, to name the line and both counts
        };
        using var reader = sepOptions.FromFile(path);
        string[]? names = null;
        TableColumns? columns = null;
        TableRows? rows = null;
        var lines = new List<int>();
        foreach (var row in reader)
        {
            int line = row.LineNumberFrom;
            if (row.ColCount == 1 && row.Span.Trim().IsEmpty)
            {
                continue; // a blank line
            }
            if (names is null)
            {
                names = new string[row.ColCount];
                for (int i = 0; i < names.Length; i++)
                {
                    names[i] = options.HasHeader ? row[i].Span.Trim().ToString() : i.ToString(CultureInfo.InvariantCulture);
                }
                columns = TableColumns.Choose(names, options, path);
                rows = new TableRows(columns, options, path);
                if (options.HasHeader)
                {
                    continue;
                }
            }
            if (row.ColCount != names.Length)
            {
                throw new InvalidDataException(
                    $"{path}, line {line}: {row.ColCount} columns where the {(options.HasHeader ? "header has" : "first row has")} {names.Length}.");
            }
            foreach (int column in columns!.Features)
            {
                var text = row[column].Span.Trim();
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                {
                    throw new InvalidDataException(
                        $"{path}, line {line}, column '{names[column]}': '{text.ToString()}' is not a number{(text.IsEmpty ? " (the field is empty)" : "")}.");
                }
                if (!float.IsFinite(value))
                {
                    throw new InvalidDataException($"{path}, line {line}, column '{names[column]}': '{text.ToString()}' is not a finite number.");
                }
                rows!.AddFeature(value);
            }
            rows!.EndRow(columns.Label is { } label ? row[label].Span.Trim().ToString() : null);
            lines.Add(line);
        }
        if (rows is null || columns is null)
        {
            throw new InvalidDataException($"{path} has only blank lines.");
        }
        return rows.Build(i => $"{path}, line {lines[i]}, column '{columns.LabelName}'");
    }
}
