using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// Training checkpoints in one directory, taken at epoch boundaries (<c>checkpoint-000012.ddc</c>: 12 epochs done) and,
/// when asked, every few batches within an epoch (<c>checkpoint-000012-0000050.ddc</c>: 50 batches of the 13th done).
/// Each holds everything needed to continue exactly as an uninterrupted run would (weights, optimizer momentum, both
/// random generators, the epoch reports, and within an epoch the batches done and the loss sums so far). A file is written under a temporary name and renamed
/// into place, so a crash never leaves a half-written checkpoint; the previous one is kept beside it.
/// </summary>
/// <remarks>
/// Format: the magic bytes <c>DDCKPT05</c>, the payload length (int64), the payload, and the payload's
/// SHA-256. The payload starts with the run's fingerprint, so a checkpoint is never applied to a different run;
/// each epoch carries its loss terms by name, so a new kind of term needs no new format. Within an epoch, the shuffler's
/// state is the one the epoch began with, so that the epoch's order is drawn again. Earlier formats are still
/// read: <c>DDCKPT01</c> (epochs without loss terms), <c>DDCKPT02</c> (soft and hard terms), <c>DDCKPT03</c> (soft,
/// hard and hint terms by position, named from the run's own terms) and <c>DDCKPT04</c> (epoch boundaries only).
/// </remarks>
internal sealed class CheckpointStore
{
    private const string Prefix = "checkpoint-";
    private const string Extension = ".ddc";
    private const string MagicPrefix = "DDCKPT0";
    private const int Version = 5;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes(MagicPrefix + Version);
    private const int Kept = 2;

    private readonly string directory;
    private readonly string fingerprint;
    private readonly IReadOnlyList<string> termNames;

    /// <param name="directory">Where the checkpoints are.</param>
    /// <param name="fingerprint">What this run is (<see cref="Fingerprint"/>).</param>
    /// <param name="termNames">This run's terms, which name the hint terms of a <c>DDCKPT03</c> file.</param>
    public CheckpointStore(string directory, string fingerprint, IReadOnlyList<string> termNames)
    {
        this.directory = Path.GetFullPath(directory);
        this.fingerprint = fingerprint;
        this.termNames = termNames;
        Directory.CreateDirectory(this.directory);
    }

    /// <summary>The state of the newest checkpoint, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The newest checkpoint is corrupt; the message names the intact previous one, if any.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a different run.</exception>
    public CheckpointState? LoadLatest()
    {
        var files = Files();
        if (files.Count == 0)
        {
            return null;
        }
        byte[] payload;
        int version;
        try
        {
            payload = ReadVerified(files[0], out version);
        }
        catch (InvalidDataException e)
        {
            string previous = files.Skip(1).FirstOrDefault(IsIntact) is { } intact
                ? $" The previous checkpoint {intact} is intact: delete {Path.GetFileName(files[0])} to resume from it."
                : " There is no intact earlier checkpoint: delete it to start over.";
            throw new InvalidDataException($"Checkpoint {files[0]} is corrupt: {e.Message}.{previous}", e);
        }

        var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        string stored = reader.ReadString();
        if (stored != fingerprint)
        {
            throw new InvalidOperationException(
                $"Checkpoint {files[0]} belongs to a different training run: {Fingerprint.Differences(fingerprint, stored)}" +
                "Use another CheckpointDirectory, or delete the checkpoints to start over.");
        }
        int completed = reader.ReadInt32();
        var epochs = new List<EpochReport>();
        for (int i = reader.ReadInt32(); i > 0; i--)
        {
            var epoch = new EpochReport(reader.ReadInt32(), reader.ReadDouble(), TimeSpan.FromTicks(reader.ReadInt64()), reader.ReadDouble());
            epochs.Add(epoch with { Terms = version >= 4 ? ReadTerms(reader) : ReadPositionalTerms(reader, version) });
        }
        PartialEpoch? partial = null;
        if (version >= 5 && reader.ReadInt32() is var batches and > 0)
        {
            double lossSum = reader.ReadDouble();
            var sums = new double?[reader.ReadInt32()];
            for (int k = 0; k < sums.Length; k++)
            {
                sums[k] = reader.ReadBoolean() ? reader.ReadDouble() : null;
            }
            partial = new PartialEpoch(batches, lossSum, sums, TimeSpan.FromTicks(reader.ReadInt64()));
        }
        return new CheckpointState(files[0], completed, epochs, partial, reader);
    }

    /// <summary>
    /// Writes the state after <paramref name="epochsCompleted"/> epochs (and <paramref name="partial"/>'s batches of the
    /// next), atomically, and drops all but the newest two. <paramref name="shufflerState"/> is the shuffler's state now,
    /// or within an epoch the state it began the epoch with.
    /// </summary>
    public void Save(int epochsCompleted, IReadOnlyList<EpochReport> epochs, Model model, TorchSharp.Modules.SGD optimizer, Tensor shufflerState,
        PartialEpoch? partial = null)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(fingerprint);
            writer.Write(epochsCompleted);
            writer.Write(epochs.Count);
            foreach (var epoch in epochs)
            {
                writer.Write(epoch.Epoch);
                writer.Write(epoch.Loss);
                writer.Write(epoch.Duration.Ticks);
                writer.Write(epoch.SamplesPerSecond);
                writer.Write(epoch.Terms.Count);
                foreach (var term in epoch.Terms)
                {
                    writer.Write(term.Name);
                    writer.Write(term.Value);
                }
            }
            writer.Write(partial?.Batches ?? 0);
            if (partial is not null)
            {
                writer.Write(partial.LossSum);
                writer.Write(partial.TermSums.Count);
                foreach (var sum in partial.TermSums)
                {
                    writer.Write(sum.HasValue);
                    if (sum.HasValue)
                    {
                        writer.Write(sum.Value);
                    }
                }
                writer.Write(partial.Elapsed.Ticks);
            }
            WriteState(writer, torch.random.get_rng_state());
            WriteState(writer, shufflerState.clone());
            model.save(writer);
            optimizer.save_state_dict(writer);
        }

        string name = partial is null ? $"{epochsCompleted:D6}" : $"{epochsCompleted:D6}-{partial.Batches:D7}";
        string path = Path.Combine(directory, Prefix + name + Extension);
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Magic);
            file.Write(BitConverter.GetBytes(payload.Length));
            payload.Position = 0;
            payload.CopyTo(file);
            file.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);

        foreach (string old in Files().Skip(Kept))
        {
            File.Delete(old);
        }
    }

    /// <summary>Checkpoint files, newest first.</summary>
    private List<string> Files() =>
        Directory.GetFiles(directory, Prefix + "*" + Extension)
            .Select(f => (Path: f, Progress: Progress(f)))
            .Where(f => f.Progress is not null)
            .OrderByDescending(f => f.Progress!.Value.Epochs).ThenByDescending(f => f.Progress!.Value.Batches)
            .Select(f => f.Path)
            .ToList();

    /// <summary>(epochs, batches) from <c>checkpoint-000012.ddc</c> or <c>checkpoint-000012-0000050.ddc</c>; null for another name.</summary>
    private static (int Epochs, int Batches)? Progress(string path)
    {
        string name = Path.GetFileName(path)[Prefix.Length..^Extension.Length];
        var parts = name.Split('-');
        return parts.Length is 1 or 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int epochs)
            && (parts.Length == 1 || int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            ? (epochs, parts.Length == 1 ? 0 : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    private static bool IsIntact(string path)
    {
        try
        {
            ReadVerified(path, out _);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static byte[] ReadVerified(string path, out int version)
    {
        byte[] bytes = File.ReadAllBytes(path);
        version = bytes.Length >= Magic.Length && bytes.AsSpan().StartsWith(Encoding.ASCII.GetBytes(MagicPrefix)) ? bytes[Magic.Length - 1] - '0' : 0;
        if (bytes.Length < Magic.Length + 8 + 32 || version is < 1 or > Version)
        {
            throw new InvalidDataException("not a DeclarativeDistill checkpoint (bad header)");
        }
        long length = BitConverter.ToInt64(bytes, Magic.Length);
        int start = Magic.Length + 8;
        if (length < 0 || start + length + 32 != bytes.Length)
        {
            throw new InvalidDataException($"truncated or padded: the header declares {length:N0} bytes of state, the file holds {Math.Max(0, bytes.Length - start - 32):N0}");
        }
        var payload = bytes.AsSpan(start, (int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(start + (int)length, 32)))
        {
            throw new InvalidDataException("checksum mismatch: the file was changed or damaged after it was written");
        }
        return payload.ToArray();
    }

    /// <summary>An epoch's terms as <c>DDCKPT04</c> writes them: a count, then each name and value.</summary>
    private static IReadOnlyList<TermValue> ReadTerms(BinaryReader reader)
    {
        var terms = new TermValue[reader.ReadInt32()];
        for (int i = 0; i < terms.Length; i++)
        {
            terms[i] = new TermValue(reader.ReadString(), reader.ReadDouble());
        }
        return terms;
    }

    /// <summary>
    /// An epoch's terms as the earlier formats wrote them: soft and hard (NaN when absent; a NaN mean loss ends a run, so
    /// it was never stored), then from <c>DDCKPT03</c> the hint terms, which take the names of this run's hint terms in order.
    /// </summary>
    private IReadOnlyList<TermValue> ReadPositionalTerms(BinaryReader reader, int version)
    {
        var terms = new List<TermValue>();
        if (version < 2)
        {
            return terms;
        }
        foreach (string name in new[] { "soft", "hard" })
        {
            double value = reader.ReadDouble();
            if (!double.IsNaN(value))
            {
                terms.Add(new TermValue(name, value));
            }
        }
        if (version >= 3)
        {
            var hintNames = termNames.Where(n => n.StartsWith("hint(", StringComparison.Ordinal)).ToList();
            int hints = reader.ReadInt32();
            for (int h = 0; h < hints; h++)
            {
                terms.Add(new TermValue(h < hintNames.Count ? hintNames[h] : $"hint {h + 1}", reader.ReadDouble()));
            }
        }
        return terms;
    }

    private static void WriteState(BinaryWriter writer, Tensor state)
    {
        using (state)
        {
            byte[] bytes = state.data<byte>().ToArray();
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    internal static Tensor ReadState(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        return tensor(reader.ReadBytes(length), ScalarType.Byte);
    }
}

/// <summary>Where a checkpoint taken within an epoch stands: batches done, the sums of the loss and of each term so far, and the time spent.</summary>
internal sealed record PartialEpoch(int Batches, double LossSum, IReadOnlyList<double?> TermSums, TimeSpan Elapsed);

/// <summary>A loaded checkpoint: its header, and a reader positioned at the random-generator states.</summary>
internal sealed record CheckpointState(string Path, int EpochsCompleted, IReadOnlyList<EpochReport> Epochs, PartialEpoch? Partial, BinaryReader Reader)
{
    /// <summary>Restores generators and weights; the optimizer state comes after the optimizer exists (<see cref="RestoreOptimizer"/>).</summary>
    public void RestoreModel(Model model, Generator shuffler)
    {
        using (var global = CheckpointStore.ReadState(Reader))
        {
            torch.random.set_rng_state(global);
        }
        using (var state = CheckpointStore.ReadState(Reader))
        {
            shuffler.set_state(state);
        }
        model.load(Reader);
    }

    public void RestoreOptimizer(TorchSharp.Modules.SGD optimizer) => optimizer.load_state_dict(Reader);
}
