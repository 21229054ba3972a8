using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Parquet;
using Parquet.Schema;

namespace DeclarativeDistill;

/// <summary>
/// The rows of a Parquet file, read a row group at a time: the labels of every row are read when the source is opened
/// (to map them to classes), the features of a row group when a batch first needs one of its rows, and the few row
/// groups used last are kept decoded. Its <see cref="BlockSize"/> is a row group, so a shuffled epoch visits the row
/// groups in a random order and decodes each about once.
/// </summary>
internal sealed class ParquetSource : DataSource
{
    /// <summary>Decoded row groups kept at once.</summary>
    private const int CachedGroups = 8;

    private readonly string path;
    private readonly DataField[] features;
    private readonly long[] starts;
    private readonly int[] counts;
    private readonly long[]? labels;
    private readonly IReadOnlyList<string>? classNames;
    private readonly LinkedList<(int Group, Lazy<float[]> Rows)> cache = new();

    private ParquetSource(string path, DataField[] features, int[] counts, FeatureShape shape, long[]? labels, int classCount, IReadOnlyList<string>? classNames)
    {
        this.path = path;
        this.features = features;
        this.counts = counts;
        starts = new long[counts.Length];
        for (int g = 1; g < counts.Length; g++)
        {
            starts[g] = starts[g - 1] + counts[g - 1];
        }
        Shape = shape;
        this.labels = labels;
        ClassCount = classCount;
        this.classNames = classNames;
        Count = checked((int)counts.Sum(c => (long)c));
    }

    public override int Count { get; }

    public override FeatureShape Shape { get; }

    public override int ClassCount { get; }

    public override bool HasLabels => labels is not null;

    public override IReadOnlyList<string>? ClassNames => classNames;

    public override string Origin => path;

    public override int BlockSize => Math.Max(1, counts.Length == 0 ? 1 : counts[0]);

    /// <summary>Opens <paramref name="path"/>: checks its columns, reads and maps its labels.</summary>
    public static ParquetSource Open(string path, TableOptions options) =>
        // Parquet.Net is asynchronous; run it off any synchronization context so that a UI caller cannot deadlock.
        Task.Run(() => OpenAsync(path, options)).GetAwaiter().GetResult();

    private static async Task<ParquetSource> OpenAsync(string path, TableOptions options)
    {
        await using var reader = await Reader(path).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var columns = TableColumns.Choose(fields.Select(f => f.Name).ToArray(), options, path);
        foreach (int feature in columns.Features)
        {
            if (!ParquetColumns.IsNumeric(fields[feature]))
            {
                throw new InvalidDataException(
                    $"{path}: the feature column '{fields[feature].Name}' holds {ParquetColumns.Describe(fields[feature])}, not numbers; leave it out with TableOptions.Features.");
            }
        }
        var counts = new int[reader.RowGroupCount];
        var labelTexts = columns.Label is null ? null : new List<string>();
        long firstRow = 1;
        for (int group = 0; group < counts.Length; group++)
        {
            var rowGroup = reader.OpenRowGroupReader(group);
            counts[group] = checked((int)rowGroup.RowCount);
            if (columns.Label is { } label)
            {
                long first = firstRow;
                labelTexts!.AddRange(await ParquetColumns.ReadLabels(rowGroup, fields[label], counts[group], row => Place(path, first + row, fields[label].Name))
                    .ConfigureAwait(false));
            }
            firstRow += counts[group];
        }
        if (firstRow == 1)
        {
            throw new InvalidDataException($"{path} has no rows.");
        }
        int width = columns.Features.Length;
        var shape = options.Shape is { } text ? FeatureShape.Parse(text) : new FeatureShape(width);
        if (shape.Size != width)
        {
            throw new ArgumentException($"{path} has {width} feature columns but the shape {shape} has {shape.Size} values.", nameof(options));
        }
        var featureFields = columns.Features.Select(i => fields[i]).ToArray();
        if (labelTexts is null)
        {
            return new ParquetSource(path, featureFields, counts, shape, null, options.ClassNames?.Count ?? 0, options.ClassNames);
        }
        var (indices, classCount, names) = ClassLabels.Map(labelTexts, options.ClassNames, i => Place(path, i + 1, columns.LabelName!));
        return new ParquetSource(path, featureFields, counts, shape, indices, classCount, names);
    }

    protected internal override long[] ReadLabels() => labels?.ToArray() ?? Array.Empty<long>();

    protected internal override void Read(ReadOnlySpan<long> indices, Span<float> batch, Span<long> batchLabels)
    {
        int width = FeatureSize;
        for (int i = 0; i < indices.Length; i++)
        {
            long index = indices[i];
            int group = Array.BinarySearch(starts, index);
            group = group >= 0 ? group : ~group - 1;
            float[] rows = Group(group);
            rows.AsSpan(checked((int)(index - starts[group]) * width), width).CopyTo(batch.Slice(i * width, width));
            if (labels is not null)
            {
                batchLabels[i] = labels[index];
            }
        }
    }

    /// <summary>The features of a row group, row by row: decoded once while it stays among the last few used (one decoder per group, whichever thread asks first).</summary>
    private float[] Group(int group)
    {
        Lazy<float[]> rows;
        lock (cache)
        {
            var node = cache.First;
            while (node is not null && node.Value.Group != group)
            {
                node = node.Next;
            }
            if (node is null)
            {
                node = cache.AddFirst((group, new Lazy<float[]>(() => Decode(group))));
                if (cache.Count > CachedGroups)
                {
                    cache.RemoveLast();
                }
            }
            else if (node != cache.First)
            {
                cache.Remove(node);
                cache.AddFirst(node);
            }
            rows = node.Value.Rows;
        }
        return rows.Value;
    }

    private float[] Decode(int group) => Task.Run(() => DecodeAsync(group)).GetAwaiter().GetResult();

    private async Task<float[]> DecodeAsync(int group)
    {
        await using var reader = await Reader(path).ConfigureAwait(false);
        var rowGroup = reader.OpenRowGroupReader(group);
        int count = counts[group];
        int width = features.Length;
        var rows = new float[checked(count * width)];
        for (int f = 0; f < width; f++)
        {
            var field = features[f];
            var values = await ParquetColumns.ReadNumbers(rowGroup, field, count, row => Place(path, starts[group] + row + 1, field.Name)).ConfigureAwait(false);
            for (int row = 0; row < count; row++)
            {
                float value = (float)values[row];
                if (!float.IsFinite(value))
                {
                    throw new InvalidDataException(
                        $"{Place(path, starts[group] + row + 1, field.Name)}: {values[row].ToString(CultureInfo.InvariantCulture)} is not a finite float32.");
                }
                rows[row * width + f] = value;
            }
        }
        return rows;
    }

    private static async Task<ParquetReader> Reader(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return await ParquetReader.CreateAsync(stream, leaveStreamOpen: false).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or ParquetException)
        {
            throw new InvalidDataException($"{path} is not a readable Parquet file: {e.Message}", e);
        }
    }

    private static string Place(string path, long row, string column) =>
        FormattableString.Invariant($"{path}, row {row}, column '{column}'");
}
