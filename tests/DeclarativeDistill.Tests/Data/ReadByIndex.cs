using System;
using System.IO;
using System.Threading;

namespace DeclarativeDistill.Tests.Data;

/// <summary>
/// The examples of a dataset, read one index at a time, as a reader of files would: counting the reads (each a batch),
/// and failing at one example if asked.
/// </summary>
internal sealed class ReadByIndex : DataSource
{
    private readonly float[] features;
    private readonly long[] labels;
    private readonly LabeledDataset data;
    private int reads;

    public ReadByIndex(LabeledDataset data)
    {
        this.data = data;
        features = data.Features.data<float>().ToArray();
        labels = data.Labels.data<long>().ToArray();
    }

    public int Reads => Volatile.Read(ref reads);

    /// <summary>An example whose read fails with an <see cref="InvalidDataException"/>, as a damaged file would; -1 for none.</summary>
    public long FailAt { get; init; } = -1;

    public override int Count => data.Count;

    public override FeatureShape Shape => data.Shape;

    public override int ClassCount => data.ClassCount;

    public override bool HasLabels => true;

    protected internal override void Read(ReadOnlySpan<long> indices, Span<float> batch, Span<long> batchLabels)
    {
        Interlocked.Increment(ref reads);
        int size = FeatureSize;
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] == FailAt)
            {
                throw new InvalidDataException($"example {FailAt} cannot be read");
            }
            features.AsSpan(checked((int)indices[i] * size), size).CopyTo(batch.Slice(i * size, size));
            batchLabels[i] = labels[indices[i]];
        }
    }
}
