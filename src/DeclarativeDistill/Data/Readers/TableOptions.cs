using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>
/// Which columns of a table (a CSV file, a Parquet file) are the features and which is the label, and how labels become
/// classes.
/// </summary>
public record TableOptions
{
    /// <summary>
    /// The label column, by name; null for a table without labels (a transfer set). Integer labels (0, 1, 2, ...) are the
    /// class indices as they are; any other labels are class names, which become classes 0, 1, ... in ordinal order
    /// (or in the order of <see cref="ClassNames"/>) and travel with the data and with a network trained on it.
    /// </summary>
    public string? Label { get; init; }

    /// <summary>The feature columns, by name and in this order; null for every column but the label, in the table's order.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>
    /// The classes, in the order of their indices, when the labels are names: fixes the order (and so the network's
    /// outputs) instead of the ordinal order of the names found; a label that is not one of them is an error. Also names
    /// integer labels' classes, one name per index.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// The shape of one example, when the features are an image laid out channel by channel and row by row (e.g.
    /// <c>1x28x28</c> for 784 pixel columns); null for a vector of the feature columns.
    /// </summary>
    public string? Shape { get; init; }
}

/// <summary>How to read a CSV or TSV file; see <see cref="TableOptions"/> for the columns.</summary>
public sealed record CsvOptions : TableOptions
{
    /// <summary>
    /// Whether the first row names the columns (default true). Without a header, columns are named by their position
    /// from 0: <c>Label = "0"</c> is the first column.
    /// </summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The separator; null to detect it from the first row (comma, semicolon, tab or pipe).</summary>
    public char? Separator { get; init; }
}
