using System;
using System.Threading;

namespace DeclarativeDistill.Tests.Data;

/// <summary>The examples of a dataset, read one index at a time, as a reader of files would.</summary>
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

    public int Reads => reads;

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
            features.AsSpan(checked((int)indices[i] * size), size).CopyTo(batch.Slice(i * size, size));
            batchLabels[i] = labels[indices[i]];
        }
    }
}
