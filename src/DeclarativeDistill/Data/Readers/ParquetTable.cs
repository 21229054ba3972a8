using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Parquet;
using Parquet.Schema;

namespace DeclarativeDistill;

public static partial class Datasets
{
    /// <summary>
    /// Loads a Parquet file (read with Parquet.Net): one example a row, numeric feature columns (float, double, integer or
    /// boolean) as float32 exactly as stored (no scaling: standardise them with <see cref="Normalization"/>), the label column (integers or strings)
    /// as classes (<see cref="TableOptions.Label"/>). Rows are numbered from 1 in messages, across row groups.
    /// </summary>
    /// <example><c>var data = Datasets.FromParquet("wine.parquet", new TableOptions { Label = "class" });</c></example>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// Not a Parquet file, a column missing or not numeric, a null or non-finite feature, or a label that is not one of the
    /// classes: the message names the file, the row and the column.
    /// </exception>
    public static LabeledDataset FromParquet(string path, TableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new TableOptions();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Parquet file not found: {path}", path);
        }
        // Parquet.Net is asynchronous; run it off any synchronization context so that a UI caller cannot deadlock.
        return Task.Run(() => ReadParquet(path, options)).GetAwaiter().GetResult();
    }

    private static async Task<LabeledDataset> ReadParquet(string path, TableOptions options)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or Parquet.ParquetException)
        {
            throw new InvalidDataException($"{path} is not a readable Parquet file: {e.Message}", e);
        }
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var columns = TableColumns.Choose(fields.Select(f => f.Name).ToArray(), options, path);
            foreach (int feature in columns.Features)
            {
                if (!ParquetColumns.IsNumeric(fields[feature]))
                {
                    throw new InvalidDataException(
                        $"{path}: the feature column '{fields[feature].Name}' holds {ParquetColumns.Describe(fields[feature])}, not numbers; leave it out with TableOptions.Features.");
                }
            }

            var rows = new TableRows(columns, options, path);
            long firstRow = 1;
            for (int group = 0; group < reader.RowGroupCount; group++)
            {
                var rowGroup = reader.OpenRowGroupReader(group);
                int count = checked((int)rowGroup.RowCount);
                var values = new double[columns.Features.Length][];
                for (int f = 0; f < values.Length; f++)
                {
                    var field = fields[columns.Features[f]];
                    values[f] = await ParquetColumns.ReadNumbers(rowGroup, field, count, row => Place(path, firstRow + row, field.Name)).ConfigureAwait(false);
                }
                string[]? labels = columns.Label is { } label
                    ? await ParquetColumns.ReadLabels(rowGroup, fields[label], count, row => Place(path, firstRow + row, fields[label].Name)).ConfigureAwait(false)
                    : null;
                for (int row = 0; row < count; row++)
                {
                    for (int f = 0; f < values.Length; f++)
                    {
                        float value = (float)values[f][row];
                        if (!float.IsFinite(value))
                        {
                            throw new InvalidDataException($"{Place(path, firstRow + row, fields[columns.Features[f]].Name)}: {values[f][row].ToString(CultureInfo.InvariantCulture)} is not a finite float32.");
                        }
                        rows.AddFeature(value);
                    }
                    rows.EndRow(labels?[row]);
                }
                firstRow += count;
            }
            return rows.Build(i => Place(path, i + 1, columns.LabelName!));
        }
    }

    private static string Place(string path, long row, string column) =>
        FormattableString.Invariant($"{path}, row {row}, column '{column}'");
}
