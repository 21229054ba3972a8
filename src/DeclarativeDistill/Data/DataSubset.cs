using System;

namespace DeclarativeDistill;

/// <summary>
/// Some of another source's examples, by index, read through it: a part of a split of data left on disk. It does not own
/// the source (dispose the source when the parts are no longer needed).
/// </summary>
internal sealed class DataSubset : SourceView
{
    private readonly long[] rows;

    public DataSubset(DataSource source, long[] rows)
        : base(source) => this.rows = rows;

    public override int Count => rows.Length;

    protected internal override long[] ReadLabels()
    {
        if (!HasLabels)
        {
            return Array.Empty<long>();
        }
        var all = Source.ReadLabels();
        return Array.ConvertAll(rows, row => all[row]);
    }

    protected internal override void Read(ReadOnlySpan<long> indices, Span<float> features, Span<long> labels)
    {
        var mapped = new long[indices.Length];
        for (int i = 0; i < mapped.Length; i++)
        {
            mapped[i] = rows[indices[i]];
        }
        Source.Read(mapped, features, labels);
    }
}
