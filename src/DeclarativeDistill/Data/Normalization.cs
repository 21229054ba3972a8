using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Standardisation of inputs: <c>(x - mean) / std</c> per feature of a vector, or per channel of an image, with the mean
/// and standard deviation measured on training data only (<see cref="Fit"/>), then applied alike to the training,
/// validation and test data and to whatever an application classifies. Networks train far better on features near unit
/// scale: a tabular set with features in the thousands can train to a fraction of the accuracy of the same set standardised.
/// </summary>
public sealed class Normalization
{
    private readonly float[] mean;
    private readonly float[] std;

    /// <summary>A normalisation of examples of <paramref name="shape"/> with one mean and one std per feature (vector) or per channel (image).</summary>
    /// <exception cref="ArgumentException">Not one value per feature or channel, or a std that is not positive and finite.</exception>
    public Normalization(FeatureShape shape, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        int groups = shape.IsImage ? shape.Channels : shape.Size;
        string what = shape.IsImage ? "channel" : "feature";
        if (mean.Count != groups || std.Count != groups)
        {
            throw new ArgumentException($"Examples of {shape.Describe()} need one mean and one std per {what} ({groups}); got {mean.Count} and {std.Count}.");
        }
        if (mean.Any(m => !float.IsFinite(m)) || std.Any(s => !(s > 0 && float.IsFinite(s))))
        {
            throw new ArgumentException("Every mean must be finite and every std positive and finite.");
        }
        Shape = shape;
        this.mean = mean.ToArray();
        this.std = std.ToArray();
    }

    /// <summary>The shape of the examples it applies to.</summary>
    public FeatureShape Shape { get; }

    /// <summary>The mean of each feature (vectors) or channel (images) in the training data.</summary>
    public IReadOnlyList<float> Mean => mean;

    /// <summary>The standard deviation of each feature or channel in the training data (1 where it was 0: a constant feature is only centred).</summary>
    public IReadOnlyList<float> Std => std;

    /// <summary>
    /// Measures each feature's (or channel's) mean and standard deviation on <paramref name="train"/>, read in chunks (in
    /// double precision, so large sets lose nothing to rounding). Fit on the training part of a split only.
    /// </summary>
    public static Normalization Fit(DataSource train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var shape = train.Shape;
        int groups = shape.IsImage ? shape.Channels : shape.Size;
        int perGroup = shape.IsImage ? shape.Height * shape.Width : 1;
        var sum = new double[groups];
        var squares = new double[groups];
        int chunk = Math.Min(RowChunks.Size, train.Count);
        var indices = new long[chunk];
        var features = new float[checked(chunk * shape.Size)];
        var labels = new long[train.HasLabels ? chunk : 0];
        for (int start = 0; start < train.Count; start += chunk)
        {
            int size = Math.Min(chunk, train.Count - start);
            for (int i = 0; i < size; i++)
            {
                indices[i] = start + i;
            }
            train.Read(indices.AsSpan(0, size), features.AsSpan(0, size * shape.Size), labels.AsSpan(0, train.HasLabels ? size : 0));
            for (int e = 0; e < size; e++)
            {
                for (int f = 0; f < shape.Size; f++)
                {
                    double x = features[e * shape.Size + f];
                    int g = f / perGroup;
                    sum[g] += x;
                    squares[g] += x * x;
                }
            }
        }
        double n = (double)train.Count * perGroup;
        var means = new float[groups];
        var stds = new float[groups];
        for (int g = 0; g < groups; g++)
        {
            double m = sum[g] / n;
            double variance = Math.Max(0, squares[g] / n - m * m);
            means[g] = (float)m;
            stds[g] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return new Normalization(shape, means, stds);
    }

    /// <summary>Standardises one example or several, in place: <see cref="Shape"/>'s number of values each, one after another.</summary>
    public void Apply(Span<float> examples)
    {
        if (examples.Length % Shape.Size != 0)
        {
            throw new ArgumentException($"{examples.Length} values are not whole examples of {Shape.Describe()}.", nameof(examples));
        }
        int perGroup = Shape.IsImage ? Shape.Height * Shape.Width : 1;
        for (int i = 0; i < examples.Length; i++)
        {
            int g = i % Shape.Size / perGroup;
            examples[i] = (examples[i] - mean[g]) / std[g];
        }
    }

    /// <summary>The examples of <paramref name="data"/> standardised, as a new dataset (labels and class names kept).</summary>
    public LabeledDataset Apply(LabeledDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(data);
        using var scope = NewDisposeScope();
        var shape = Shape.IsImage ? new long[] { 1, Shape.Channels, 1, 1 } : new long[] { 1, Shape.Size };
        var normalized = (data.Features.reshape(Shape.BatchShape(data.Count)) - tensor(mean).reshape(shape)) / tensor(std).reshape(shape);
        var features = normalized.reshape(data.Features.shape).MoveToOuterDisposeScope();
        var result = data.HasLabels ? new LabeledDataset(features, data.Labels.clone().MoveToOuterDisposeScope(), data.ClassCount) : LabeledDataset.Unlabeled(features, data.ClassCount);
        if (data.ClassNames is not { } names)
        {
            return result;
        }
        using (result)
        {
            return result.WithClassNames(names);
        }
    }

    /// <summary>The examples of <paramref name="data"/>, standardised as they are read (for data left on disk).</summary>
    public DataSource Apply(DataSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is LabeledDataset inMemory)
        {
            return Apply(inMemory);
        }
        CheckShape(data);
        return new NormalizedSource(data, this);
    }

    private void CheckShape(DataSource data)
    {
        if (data.FeatureSize != Shape.Size || (data.Shape.IsImage && Shape.IsImage && !data.Shape.Equals(Shape)))
        {
            throw new ArgumentException($"This normalisation was fitted on examples of {Shape.Describe()}; {data.Origin} has examples of {data.Shape.Describe()}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Normalization({Shape}: mean {string.Join(", ", mean.Take(4).Select(m => m.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}{(mean.Length > 4 ? ", ..." : "")})";

    /// <summary>A source read through another one, standardising each batch.</summary>
    private sealed class NormalizedSource : SourceView
    {
        private readonly Normalization normalization;

        public NormalizedSource(DataSource source, Normalization normalization)
            : base(source) => this.normalization = normalization;

        protected internal override void Read(ReadOnlySpan<long> indices, Span<float> features, Span<long> labels)
        {
            Source.Read(indices, features, labels);
            normalization.Apply(features);
        }
    }
}
