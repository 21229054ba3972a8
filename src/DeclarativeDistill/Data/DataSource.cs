using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Examples of one shape, with their class labels or without, as <c>Fit</c>, <c>Distill</c>, <c>Evaluate</c> and the
/// fidelity measures read them: a batch at a time, by index. <see cref="LabeledDataset"/> holds them in memory; other
/// sources leave them on disk and read each batch when it is needed.
/// <para>
/// A source of your own derives from this class and implements <see cref="Read"/>, which the trainer calls from
/// background threads, several at once, with the examples of a batch in any order. A source whose examples are cheaper
/// to read together (the rows of a Parquet row group, a block of CSV lines) says so with <see cref="BlockSize"/>: an
/// epoch then visits its blocks in a shuffled order and shuffles the examples within a few blocks at a time.
/// </para>
/// </summary>
public abstract class DataSource : IDisposable
{
    /// <summary>N, the number of examples.</summary>
    public abstract int Count { get; }

    /// <summary>The shape of one example: <c>12</c> for rows of 12 features, <c>3x32x32</c> for images.</summary>
    public abstract FeatureShape Shape { get; }

    /// <summary>The number of features of one example: D, or C·H·W for images.</summary>
    public int FeatureSize => Shape.Size;

    /// <summary>The number of classes (0 for examples without labels, unless known).</summary>
    public abstract int ClassCount { get; }

    /// <summary>False for a transfer set without labels.</summary>
    public abstract bool HasLabels { get; }

    /// <summary>
    /// The name of each class, by label, when the data named them (a CSV's label column, an image folder's subfolders);
    /// null otherwise. A network trained on the data keeps them (<c>ClassNames</c>), and its predictions name the class.
    /// </summary>
    public virtual IReadOnlyList<string>? ClassNames => null;

    /// <summary>The tokenizer that turned texts into these examples' token ids, or null: a text network trained on them keeps it.</summary>
    public virtual TextTokenizer? Tokenizer => null;

    /// <summary>Where the examples come from, for messages: a file or directory, or <c>in memory</c>.</summary>
    public virtual string Origin => "in memory";

    /// <summary>
    /// How many consecutive examples are best read together: 1 for a source with cheap random access (the default), the
    /// rows of a block otherwise. A shuffled epoch then visits whole blocks in a random order, and shuffles the examples of
    /// a few blocks at a time, so that a batch reads few blocks.
    /// </summary>
    public virtual int BlockSize => 1;

    /// <summary>The examples in memory as one tensor, when they are (the trainer then selects batches on the tensor).</summary>
    internal virtual LabeledDataset? InMemory => null;

    /// <summary>
    /// Reads the examples at <paramref name="indices"/> (each in [0, <see cref="Count"/>), in any order, possibly
    /// repeated): their features, <see cref="FeatureSize"/> floats each in order, into <paramref name="features"/>, and
    /// their labels into <paramref name="labels"/> (empty when the source has no labels). Called from several threads at
    /// once. Throws <see cref="System.IO.InvalidDataException"/> naming the file and the record for data it cannot read.
    /// </summary>
    protected internal abstract void Read(ReadOnlySpan<long> indices, Span<float> features, Span<long> labels);

    /// <summary>
    /// Every example's label, in order (the default reads the examples through <see cref="Read"/>; a source that knows its
    /// labels without reading the features, such as an image folder, says so by overriding it). Empty without labels.
    /// </summary>
    protected internal virtual long[] ReadLabels()
    {
        if (!HasLabels)
        {
            return Array.Empty<long>();
        }
        var labels = new long[Count];
        var indices = new long[Math.Min(RowChunks.Size, Count)];
        var features = new float[checked(indices.Length * FeatureSize)];
        for (int start = 0; start < Count; start += indices.Length)
        {
            int size = Math.Min(indices.Length, Count - start);
            for (int i = 0; i < size; i++)
            {
                indices[i] = start + i;
            }
            Read(indices.AsSpan(0, size), features.AsSpan(0, size * FeatureSize), labels.AsSpan(start, size));
        }
        return labels;
    }

    /// <summary>
    /// A seeded split into a training and a test part, stratified by class when there are labels (each class is split in
    /// the same proportion). The parts read through this source, which must outlive them.
    /// </summary>
    /// <param name="test">The fraction of the examples in the test part, in (0, 1).</param>
    /// <param name="seed">The same seed gives the same split.</param>
    public (DataSource Train, DataSource Test) Split(double test, int seed)
    {
        CheckFraction(test, nameof(test));
        var (train, _, tests) = Splitter.Rows(this, 0, test, seed);
        return (Subset(train), Subset(tests));
    }

    /// <summary>
    /// A seeded split into training, validation and test parts, stratified by class when there are labels. The parts read
    /// through this source, which must outlive them.
    /// </summary>
    /// <param name="validation">The fraction of the examples in the validation part, in (0, 1).</param>
    /// <param name="test">The fraction in the test part, in (0, 1); with <paramref name="validation"/>, below 1.</param>
    /// <param name="seed">The same seed gives the same split.</param>
    public DataSplit<DataSource> Split(double validation, double test, int seed)
    {
        CheckFraction(validation, nameof(validation));
        CheckFraction(test, nameof(test));
        var (train, valid, tests) = Splitter.Rows(this, validation, test, seed);
        return new DataSplit<DataSource>(Subset(train), Subset(valid), Subset(tests));
    }

    /// <summary>The examples at <paramref name="rows"/>, in that order: a view that reads through this source.</summary>
    internal virtual DataSource Subset(long[] rows) => new DataSubset(this, rows);

    private protected static void CheckFraction(double fraction, string name)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(name, $"A split fraction must be between 0 and 1 (exclusive); got {fraction}.");
        }
    }

    /// <summary>
    /// Calls <paramref name="each"/> with the examples in order, <paramref name="size"/> at a time (fewer for large examples; features and labels on
    /// the CPU, null labels without), each chunk in a dispose scope of its own: a source on disk is read ahead by
    /// background workers (<see cref="BatchReader"/>), as training reads it.
    /// </summary>
    internal void ForEachChunk(int size, Action<Tensor, Tensor?> each, Action<int, int>? chunkDone = null)
    {
        // Large examples come in smaller chunks: a chunk and the ones read ahead stay within the read-ahead memory.
        long exampleBytes = (long)FeatureSize * sizeof(float) + sizeof(long);
        size = (int)Math.Clamp(DefaultReadAheadBytes / 4 / exampleBytes, 1, size);
        int chunks = (Count + size - 1) / size;
        using var reader = InMemory is null
            ? new BatchReader(this, System.Linq.Enumerable.Range(0, Count).Select(i => (long)i).ToArray(), size, chunks, Environment.ProcessorCount, DefaultReadAheadBytes)
            : null;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            using var scope = NewDisposeScope();
            if (reader is null)
            {
                var (features, labels) = ReadRange((long)chunk * size, Math.Min(size, Count - chunk * size));
                each(features, labels);
            }
            else
            {
                var (features, labels, _) = reader.Take(chunk);
                each(features, labels);
            }
            chunkDone?.Invoke(chunk + 1, chunks);
        }
    }

    /// <summary>Read-ahead memory for passes outside training (evaluation, the teacher cache): <see cref="TrainingOptions.MemoryBudgetBytes"/>' default.</summary>
    internal const long DefaultReadAheadBytes = 512L << 20;

    /// <summary>The examples at <paramref name="indices"/> as tensors on the CPU: features <c>[B, ...Shape]</c>, labels <c>[B]</c> (null without labels).</summary>
    internal (Tensor Features, Tensor? Labels) ReadBatch(ReadOnlySpan<long> indices)
    {
        if (InMemory is { } memory)
        {
            using var index = tensor(indices.ToArray());
            return (memory.Features.index_select(0, index), memory.LabelsOrNull?.index_select(0, index));
        }
        var features = new float[checked(indices.Length * FeatureSize)];
        var labels = HasLabels ? new long[indices.Length] : Array.Empty<long>();
        Read(indices, features, labels);
        return (tensor(features, Shape.BatchShape(indices.Length)), HasLabels ? tensor(labels) : null);
    }

    /// <summary>The examples <c>[start, start + count)</c>, as <see cref="ReadBatch"/> reads them.</summary>
    internal (Tensor Features, Tensor? Labels) ReadRange(long start, int count)
    {
        if (InMemory is { } memory)
        {
            return (memory.Features.narrow(0, start, count), memory.LabelsOrNull?.narrow(0, start, count));
        }
        var indices = new long[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = start + i;
        }
        return ReadBatch(indices);
    }

    /// <summary>
    /// Every example read into memory, in order, as one <see cref="LabeledDataset"/> (with this source's labels, class count
    /// and class names), for data that fits: training then selects batches on one tensor, the fastest way.
    /// </summary>
    /// <exception cref="System.IO.InvalidDataException">An example cannot be read; the message names the file and the record.</exception>
    public virtual LabeledDataset ToMemory()
    {
        var features = new float[checked((long)Count * FeatureSize)];
        var labels = HasLabels ? new long[Count] : Array.Empty<long>();
        long start = 0;
        // Read ahead by background workers, as training reads: decoding a folder of images uses every core.
        ForEachChunk(RowChunks.Size, (chunk, chunkLabels) =>
        {
            int size = checked((int)chunk.shape[0]);
            chunk.contiguous().data<float>().CopyTo(features.AsSpan(checked((int)(start * FeatureSize)), size * FeatureSize));
            chunkLabels?.data<long>().CopyTo(labels.AsSpan((int)start, size));
            start += size;
        });
        var data = HasLabels
            ? new LabeledDataset(tensor(features, Shape.BatchShape(Count)), tensor(labels), ClassCount)
            : LabeledDataset.Unlabeled(tensor(features, Shape.BatchShape(Count)), ClassCount);
        if (ClassNames is not { } names)
        {
            return data;
        }
        using (data)
        {
            return data.WithClassNames(names);
        }
    }

    /// <summary>Frees what the source holds (tensors, open files). The base class holds nothing.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what the source holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
