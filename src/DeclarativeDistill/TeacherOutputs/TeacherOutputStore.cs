using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The teachers' outputs for every example of a transfer set, computed once and kept on disk, memory-mapped: for a
/// transfer set whose teacher outputs do not fit in memory, or are too slow to compute on one machine. The store is a
/// directory of shards; each shard holds a contiguous range of examples and can be written by an independent process
/// given its index (<see cref="WriteShard"/>), so that labelling a large transfer set runs as a Kubernetes Indexed Job
/// or a Slurm job array with no coordinator. A distillation reads it through <c>TrainingOptions.TeacherOutputs</c>
/// (<c>TeacherOutputs</c>) instead of running the teachers.
/// <para>
/// Every shard records a fingerprint of the teachers' weights, the transfer set and the outputs, and a hash of its data;
/// <see cref="Open"/> refuses a store that is incomplete, damaged, or made from other teachers or data, naming the shard.
/// </para>
/// </summary>
public sealed class TeacherOutputStore : IDisposable
{
    private readonly StoreShard[] shards;
    private readonly long[] starts;

    private TeacherOutputStore(string directory, StoreShard[] shards, IReadOnlyList<TeacherOutput> outputs, long count)
    {
        Directory = directory;
        this.shards = shards;
        starts = shards.Select(s => s.Header.Start).ToArray();
        Outputs = outputs;
        Count = count;
    }

    /// <summary>The store's directory.</summary>
    public string Directory { get; }

    /// <summary>What the store holds for each example, in row order.</summary>
    public IReadOnlyList<TeacherOutput> Outputs { get; }

    /// <summary>Examples.</summary>
    public long Count { get; }

    /// <summary>
    /// Computes and writes shard <paramref name="shard"/> of <paramref name="shards"/>: the teachers' logits (and the
    /// outputs of <paramref name="layers"/>, for hints and layer methods) for its range of examples, which is
    /// <c>[shard·N/shards, (shard+1)·N/shards)</c>. Independent processes may write different shards into one directory at
    /// once; each file appears whole when done (written under a temporary name, then renamed).
    /// </summary>
    /// <param name="directory">The store's directory (created if missing).</param>
    /// <param name="transferSet">The whole transfer set, the same in every process.</param>
    /// <param name="teachers">The teachers, in the order the distillation lists them, with their trained weights.</param>
    /// <param name="shard">This shard, from 0 (a job array's index).</param>
    /// <param name="shards">The number of shards.</param>
    /// <param name="layers">Teachers' layers to keep besides their logits: (teacher index, layer name).</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    public static void WriteShard(string directory, DataSource transferSet, IReadOnlyList<Model> teachers, int shard, int shards,
        IReadOnlyList<(int Teacher, string Layer)>? layers = null, int batchSize = 256)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(transferSet);
        ArgumentNullException.ThrowIfNull(teachers);
        if (teachers.Count == 0)
        {
            throw new ArgumentException("A store needs at least one teacher.", nameof(teachers));
        }
        if (shards < 1 || shard < 0 || shard >= shards)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), $"Shard {shard} of {shards}: shards are numbered from 0 to {shards - 1}.");
        }
        if (shards > transferSet.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(shards), $"{shards} shards for {transferSet.Count} examples would leave some empty.");
        }
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be positive; got {batchSize}.");
        }
        var pass = Pass(teachers, layers ?? Array.Empty<(int, string)>());
        var wereTraining = teachers.Select(t => t.training).ToArray();
        foreach (var teacher in teachers)
        {
            teacher.eval();
        }
        try
        {
            var outputs = Probe(pass, transferSet, teachers.Count);
            string fingerprint = StoreFingerprint.Of(teachers, transferSet, outputs);
            long start = (long)shard * transferSet.Count / shards;
            long end = (long)(shard + 1) * transferSet.Count / shards;
            var header = new ShardHeader(fingerprint, shard, shards, start, end - start,
                outputs.Select(o => new OutputHeader(o.Teacher, o.Layer, o.Shape)).ToArray(), "");
            System.IO.Directory.CreateDirectory(directory);
            StoreShard.Write(Path.Combine(directory, StoreShard.FileName(shard, shards)), header,
                Rows(pass, transferSet, outputs, start, end, batchSize));
        }
        finally
        {
            for (int i = 0; i < teachers.Count; i++)
            {
                teachers[i].train(wereTraining[i]);
            }
        }
    }

    /// <summary>
    /// Opens a complete store for these teachers and this transfer set: every shard present, whole, made from the same
    /// teachers' weights and data (and, with <paramref name="verify"/>, its data matching its hash: one read of the store).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    /// <exception cref="InvalidDataException">A shard is missing, truncated, damaged or made from other teachers or data; the message names it.</exception>
    public static TeacherOutputStore Open(string directory, DataSource transferSet, IReadOnlyList<Model> teachers, bool verify = true)
    {
        ArgumentNullException.ThrowIfNull(transferSet);
        ArgumentNullException.ThrowIfNull(teachers);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No teacher-output store at {directory}.");
        }
        var files = System.IO.Directory.GetFiles(directory, "shard-*-of-*.ddto").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new InvalidDataException($"{directory} holds no teacher-output shards (shard-NNNNN-of-NNNNN.ddto).");
        }
        var opened = new List<StoreShard>();
        try
        {
            foreach (string file in files)
            {
                opened.Add(StoreShard.Open(file, verify));
            }
            var first = opened[0].Header;
            var outputs = first.Outputs.Select(o => new TeacherOutput(o.Teacher, o.Layer, o.Shape)).ToArray();
            string expected = StoreFingerprint.Of(teachers, transferSet, outputs);
            foreach (var shard in opened)
            {
                if (shard.Header.Fingerprint != expected)
                {
                    throw new InvalidDataException(
                        $"{shard.Path} was computed from other teachers or another transfer set: {DeclarativeDistill.Fingerprint.Differences(expected, shard.Header.Fingerprint)}");
                }
                if (shard.Header.Shards != first.Shards)
                {
                    throw new InvalidDataException($"{shard.Path} is one of {shard.Header.Shards} shards, {opened[0].Path} one of {first.Shards}: remove the shards of the other run.");
                }
            }
            var missing = Enumerable.Range(0, first.Shards).Except(opened.Select(s => s.Header.Shard)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException(
                    $"{directory} lacks shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} of {first.Shards}: write {(missing.Count == 1 ? "it" : "them")} with TeacherOutputStore.WriteShard.");
            }
            var ordered = opened.OrderBy(s => s.Header.Start).ToArray();
            return new TeacherOutputStore(directory, ordered, outputs, transferSet.Count);
        }
        catch
        {
            opened.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The outputs of the examples at <paramref name="rows"/>, as the distillation reads them: per teacher its logits
    /// <c>[B, classes]</c>, and the stored layers <c>[B, ...]</c>, on <paramref name="device"/>.
    /// </summary>
    internal TeacherOutputs Read(ReadOnlySpan<long> rows, int teachers, Device device)
    {
        long rowFloats = Outputs.Sum(o => o.Size);
        var values = new float[checked(rows.Length * rowFloats)];
        for (int i = 0; i < rows.Length; i++)
        {
            int shard = Array.BinarySearch(starts, rows[i]);
            shard = shard >= 0 ? shard : ~shard - 1;
            shards[shard].ReadRow(rows[i], values.AsSpan(checked((int)(i * rowFloats)), (int)rowFloats));
        }
        using var all = tensor(values, new long[] { rows.Length, rowFloats });
        var logits = new Tensor?[teachers];
        var layers = new Dictionary<(int, string), Tensor>();
        long column = 0;
        foreach (var output in Outputs)
        {
            var value = all.narrow(1, column, output.Size).reshape(new[] { (long)rows.Length }.Concat(output.Shape).ToArray()).to(device);
            column += output.Size;
            if (output.Layer is null)
            {
                logits[output.Teacher] = value;
            }
            else
            {
                layers[(output.Teacher, output.Layer)] = value;
            }
        }
        return new TeacherOutputs(logits, layers, rows.Length);
    }

    /// <summary>
    /// Throws unless the store was made from <paramref name="teachers"/> and <paramref name="data"/> and holds every
    /// output <paramref name="pass"/> reads.
    /// </summary>
    internal void CheckServes(TeacherPass pass, IReadOnlyList<Model> teachers, DataSource data)
    {
        string expected = StoreFingerprint.Of(teachers, data, Outputs);
        if (expected != shards[0].Header.Fingerprint)
        {
            throw new ArgumentException(
                $"The teacher-output store at {Directory} was made from other teachers or another transfer set: {DeclarativeDistill.Fingerprint.Differences(expected, shards[0].Header.Fingerprint)}");
        }
        var missing = new List<string>();
        for (int t = 0; t < pass.Layers.Count; t++)
        {
            if (pass.Logits && !Outputs.Any(o => o.Teacher == t && o.Layer is null))
            {
                missing.Add($"teacher {t} logits");
            }
            missing.AddRange(pass.Layers[t].Where(l => !Outputs.Any(o => o.Teacher == t && o.Layer == l)).Select(l => $"teacher {t} layer {l}"));
        }
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"The teacher-output store at {Directory} lacks {string.Join(", ", missing)}, which the objective reads; it holds {string.Join(", ", Outputs.Select(o => o.Name))}. Write it again with those layers.");
        }
    }

    /// <summary>Closes the shards' files.</summary>
    public void Dispose()
    {
        foreach (var shard in shards)
        {
            shard.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"TeacherOutputStore({Directory}: {Count} examples, {string.Join(", ", Outputs)})";

    private static TeacherPass Pass(IReadOnlyList<Model> teachers, IReadOnlyList<(int Teacher, string Layer)> layers)
    {
        foreach (var (teacher, layer) in layers)
        {
            if (teacher < 0 || teacher >= teachers.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), $"Layer {layer} names teacher {teacher}, but there are {teachers.Count}.");
            }
            if (teachers[teacher] is not IFeatureLayers named || !named.FeatureLayers.Contains(layer))
            {
                throw new ArgumentException(
                    $"{teachers[teacher].GetName()} has no layer '{layer}'{(teachers[teacher] is IFeatureLayers known ? $"; its layers are {string.Join(", ", known.FeatureLayers)}" : " it can show")}.", nameof(layers));
            }
        }
        return new TeacherPass(teachers,
            Enumerable.Range(0, teachers.Count).Select(t => layers.Where(l => l.Teacher == t).Select(l => l.Layer).Distinct().ToArray()).ToArray(),
            logits: true);
    }

    /// <summary>The shape of each output, from one example.</summary>
    private static TeacherOutput[] Probe(TeacherPass pass, DataSource data, int teachers)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (features, _) = data.ReadRange(0, 1);
        var outputs = pass.Run(features);
        var result = new List<TeacherOutput>();
        for (int t = 0; t < teachers; t++)
        {
            result.Add(new TeacherOutput(t, null, outputs.Logits[t].shape[1..]));
            result.AddRange(pass.Layers[t].Select(l => new TeacherOutput(t, l, outputs.Layer(t, l).shape[1..])));
        }
        return result.ToArray();
    }

    /// <summary>The rows of <c>[start, end)</c>, a batch at a time, each row's outputs in <paramref name="outputs"/>' order.</summary>
    private static IEnumerable<float[]> Rows(TeacherPass pass, DataSource data, TeacherOutput[] outputs, long start, long end, int batchSize)
    {
        for (long first = start; first < end; first += batchSize)
        {
            int size = (int)Math.Min(batchSize, end - first);
            float[] rows;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var (features, _) = data.ReadRange(first, size);
                var result = pass.Run(features);
                var columns = outputs.Select(o => (o.Layer is null ? result.Logits[o.Teacher] : result.Layer(o.Teacher, o.Layer)).reshape(size, -1)).ToArray();
                rows = cat(columns, 1).contiguous().data<float>().ToArray();
            }
            yield return rows;
        }
    }
}
