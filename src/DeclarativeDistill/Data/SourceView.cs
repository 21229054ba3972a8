using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>
/// A source seen through another: what it says of its examples is the other's, unless the view changes it (a subset's
/// count, a normalisation's values). It reads through the other source and does not own it.
/// </summary>
internal abstract class SourceView : DataSource
{
    protected SourceView(DataSource source) => Source = source;

    /// <summary>The source read through.</summary>
    protected DataSource Source { get; }

    public override int Count => Source.Count;

    public override FeatureShape Shape => Source.Shape;

    public override int ClassCount => Source.ClassCount;

    public override bool HasLabels => Source.HasLabels;

    public override IReadOnlyList<string>? ClassNames => Source.ClassNames;

    /// <inheritdoc/>
    public override TextTokenizer? Tokenizer => Source.Tokenizer;

    public override string Origin => Source.Origin;

    public override int BlockSize => Source.BlockSize;

    protected internal override long[] ReadLabels() => Source.ReadLabels();
}
