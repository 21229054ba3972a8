using System;
using System.Buffers;
using System.IO;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// Examples in a NumPy array (a mapped .npy file or an .npz member in memory), read a batch at a time: features
/// <c>[N, D]</c> as vectors of D, <c>[N, H, W]</c> as one-channel images, <c>[N, C, H, W]</c> as images, converted to
/// float32 as they are (no scaling), and their labels, read and checked whole when the source is made. A NaN or
/// infinite feature is an error naming the example when its batch is read.
/// </summary>
internal sealed class NumPySource : DataSource
{
    /// <summary>Bytes converted at a time: an example of any size is read in pieces of this.</summary>
    private const int ChunkBytes = 1 << 16;

    private readonly NumPyArray features;
    private readonly long[]? labels;

    private NumPySource(NumPyArray features, FeatureShape shape, long[]? labels, int classCount)
    {
        this.features = features;
        this.labels = labels;
        Shape = shape;
        ClassCount = classCount;
        Count = (int)features.Header.Shape[0];
    }

    /// <summary>
    /// A source over <paramref name="features"/> (which it owns from now, and disposes if this throws) and the labels
    /// of <paramref name="labels"/> (read here; the caller keeps and disposes it).
    /// </summary>
    /// <exception cref="InvalidDataException">The arrays are not features and labels of one set of examples; the message names the file and what is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is not positive.</exception>
    public static NumPySource Create(NumPyArray features, NumPyArray? labels, int? classCount)
    {
        try
        {
            if (classCount is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(classCount), $"The number of classes must be positive; got {classCount}.");
            }
            var shape = ShapeOf(features);
            if (labels is null)
            {
                return new NumPySource(features, shape, null, classCount ?? 0);
            }
            var (values, classes) = NumPyLabels.Read(labels, features, classCount);
            return new NumPySource(features, shape, values, classes);
        }
        catch
        {
            features.Dispose();
            throw;
        }
    }

    private static FeatureShape ShapeOf(NumPyArray features)
    {
        long[] shape = features.Header.Shape;
        string name = features.Name;
        if (shape.Length is not (2 or 3 or 4))
        {
            throw new InvalidDataException(
                $"{name}: features must be a 2-D array [N, D] of vectors, 3-D [N, H, W] of one-channel images or 4-D [N, C, H, W] of images; "
                + $"found a {shape.Length}-D array of shape {features.Header.ShapeText}.");
        }
        if (shape[0] == 0)
        {
            throw new InvalidDataException($"{name}: the array holds no examples (shape {features.Header.ShapeText}).");
        }
        if (shape[0] > int.MaxValue)
        {
            throw new InvalidDataException($"{name}: {shape[0]:N0} examples is more than {int.MaxValue:N0}.");
        }
        if (shape.Skip(1).Any(size => size == 0))
        {
            throw new InvalidDataException($"{name}: the examples have no features (shape {features.Header.ShapeText}).");
        }
        long size = shape.Skip(1).Aggregate(1L, (product, d) => product * d); // the header checked that the whole product fits
        if (size > int.MaxValue)
        {
            throw new InvalidDataException($"{name}: an example of shape {string.Join("x", shape.Skip(1))} has {size:N0} features, more than {int.MaxValue:N0}.");
        }
        int[] dimensions = shape.Length == 3 ? new[] { 1, (int)shape[1], (int)shape[2] } : shape.Skip(1).Select(d => (int)d).ToArray();
        return new FeatureShape(dimensions);
    }

    /// <inheritdoc/>
    public override int Count { get; }

    /// <inheritdoc/>
    public override FeatureShape Shape { get; }

    /// <inheritdoc/>
    public override int ClassCount { get; }

    /// <inheritdoc/>
    public override bool HasLabels => labels is not null;

    /// <summary>The features file (or <c>file.npz (member x.npy)</c>).</summary>
    public override string Origin => features.Name;

    /// <inheritdoc/>
    protected internal override void Read(ReadOnlySpan<long> indices, Span<float> batch, Span<long> batchLabels)
    {
        var type = features.Header.Type;
        int size = FeatureSize;
        int chunk = Math.Max(1, ChunkBytes / type.Size);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(size, chunk) * type.Size);
        try
        {
            for (int i = 0; i < indices.Length; i++)
            {
                long index = indices[i];
                if (index < 0 || index >= Count)
                {
                    throw new ArgumentOutOfRangeException(nameof(indices), $"Example {index} is outside {Origin}'s {Count} examples.");
                }
                var row = batch.Slice(i * size, size);
                long rowStart = index * size * type.Size;
                for (int start = 0; start < size; start += chunk)
                {
                    int length = Math.Min(chunk, size - start);
                    var raw = buffer.AsSpan(0, length * type.Size);
                    features.ReadData(rowStart + (long)start * type.Size, raw);
                    type.ToSingle(raw, row.Slice(start, length));
                }
                int bad = IndexOfNonFinite(row);
                if (bad >= 0)
                {
                    throw NonFinite(index, bad);
                }
                if (labels is not null)
                {
                    batchLabels[i] = labels[index];
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> row)
    {
        for (int j = 0; j < row.Length; j++)
        {
            if (!float.IsFinite(row[j]))
            {
                return j;
            }
        }
        return -1;
    }

    private InvalidDataException NonFinite(long index, int feature)
    {
        var type = features.Header.Type;
        Span<byte> element = stackalloc byte[type.Size];
        features.ReadData((index * FeatureSize + feature) * type.Size, element);
        string value = type.Format(element);
        string what = value is "nan" or "inf" or "-inf" ? value : $"{value}, beyond the range of float32,";
        string where = Shape.IsImage
            ? $" (channel {feature / (Shape.Height * Shape.Width)}, row {feature / Shape.Width % Shape.Height}, column {feature % Shape.Width})"
            : "";
        return new InvalidDataException(
            $"{features.Name}: example {index} holds {what} at flat feature index {feature}{where}; "
            + "features must be finite: replace them (e.g. with np.nan_to_num) or drop those examples before saving.");
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            features.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"NumPySource({Origin}: {Count} examples of {Shape.Describe()}, {(HasLabels ? $"{ClassCount} classes" : "no labels")})";
}
