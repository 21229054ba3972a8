using System;
using System.IO;

namespace DeclarativeDistill;

public static partial class Datasets
{
    /// <summary>
    /// Loads a Parquet file (read with Parquet.Net): one example a row, numeric feature columns (float, double, decimal,
    /// integer or boolean) as float32 exactly as stored (no scaling: standardise them with <see cref="Normalization"/>),
    /// the label column (integers or text) as classes (<see cref="TableOptions.Label"/>). Rows are numbered from 1 in
    /// messages, across row groups.
    /// </summary>
    /// <example><c>var data = Datasets.FromParquet("wine.parquet", new TableOptions { Label = "class" });</c></example>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// Not a Parquet file, a column missing or not numeric, a null or non-finite feature, or a label that is not one of the
    /// classes: the message names the file, the row and the column.
    /// </exception>
    public static LabeledDataset FromParquet(string path, TableOptions? options = null)
    {
        using var source = OpenParquet(path, options);
        return source.ToMemory();
    }

    /// <summary>
    /// Opens a Parquet file on disk, read a row group at a time (for tables larger than memory): the labels are read now,
    /// the features of each row group when a batch first needs it. Shuffled epochs visit the row groups in a random order
    /// (<see cref="DataSource.BlockSize"/> is a row group), so write the file with row groups of a few thousand rows.
    /// </summary>
    /// <inheritdoc cref="FromParquet"/>
    public static DataSource OpenParquet(string path, TableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Parquet file not found: {path}", path);
        }
        return ParquetSource.Open(path, options ?? new TableOptions());
    }
}
