using System;
using System.Collections.Generic;
using System.IO;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// The rows of a table as a reader collects them (features as float32, labels as written), turned into a
/// <see cref="LabeledDataset"/> once the table has been read.
/// </summary>
internal sealed class TableRows
{
    private readonly TableColumns columns;
    private readonly TableOptions options;
    private readonly string origin;
    private float[] features = new float[1024];
    private readonly List<string>? labels;
    private int featureCount;

    public TableRows(TableColumns columns, TableOptions options, string origin)
    {
        this.columns = columns;
        this.options = options;
        this.origin = origin;
        labels = columns.Label is null ? null : new List<string>();
    }

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one feature value of the current row; call <see cref="EndRow"/> after the last.</summary>
    public void AddFeature(float value)
    {
        if (featureCount == features.Length)
        {
            Array.Resize(ref features, checked(features.Length * 2));
        }
        features[featureCount++] = value;
    }

    /// <summary>Ends the current row, with its label as written (ignored for a table without labels).</summary>
    public void EndRow(string? label)
    {
        labels?.Add(label ?? "");
        Count++;
    }

    /// <summary>The dataset: labels mapped to classes (<paramref name="where"/> names row i for a message), features in <see cref="TableOptions.Shape"/>.</summary>
    public LabeledDataset Build(Func<int, string> where)
    {
        if (Count == 0)
        {
            throw new InvalidDataException($"{origin} has no rows.");
        }
        int width = columns.Features.Length;
        var shape = options.Shape is { } text ? FeatureShape.Parse(text) : new FeatureShape(width);
        if (shape.Size != width)
        {
            throw new ArgumentException($"{origin} has {width} feature columns but the shape {shape} has {shape.Size} values.", nameof(options));
        }
        var featureTensor = tensor(features.AsSpan(0, featureCount).ToArray(), shape.BatchShape(Count));
        if (labels is null)
        {
            return LabeledDataset.Unlabeled(featureTensor, options.ClassNames?.Count ?? 0);
        }
        var (indices, classCount, names) = ClassLabels.Map(labels, options.ClassNames, where);
        var data = new LabeledDataset(featureTensor, tensor(indices), classCount);
        if (names is null)
        {
            return data;
        }
        using (data)
        {
            return data.WithClassNames(names);
        }
    }
}
