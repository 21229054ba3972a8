using System;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DeclarativeDistill;

/// <summary>
/// One file of a teacher-output store: the outputs of examples <c>[Start, Start + Count)</c>, row by row (each
/// example's outputs one after another, float32), after a header: 8 bytes <c>DDTOUT01</c>, the offset of the data
/// (8 bytes), the length of a JSON header (4 bytes) and the JSON (fingerprint, shard, rows, outputs and the SHA-256 of
/// the data). The file is written under a temporary name and renamed when complete, so a shard either exists whole or
/// not at all; the reader checks the header, the length and (when asked) the hash.
/// </summary>
internal sealed class StoreShard : IDisposable
{
    private const string Magic = "DDTOUT01";
    private const int Alignment = 4096;
    private static readonly string NoHash = new('0', 64);

    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly long dataOffset;

    private StoreShard(string path, ShardHeader header, long dataOffset, MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        Path = path;
        Header = header;
        this.dataOffset = dataOffset;
        this.file = file;
        this.view = view;
    }

    public string Path { get; }

    public ShardHeader Header { get; }

    /// <summary>The file name of shard <paramref name="shard"/> of <paramref name="shards"/>.</summary>
    public static string FileName(int shard, int shards) => $"shard-{shard:D5}-of-{shards:D5}.ddto";

    /// <summary>Writes the shard: <paramref name="rows"/> hands out its outputs, a chunk of rows at a time, in order.</summary>
    public static void Write(string path, ShardHeader header, IEnumerable<float[]> rows)
    {
        string temporary = path + ".tmp";
        long rowFloats = header.RowFloats;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            byte[] placeholder = Json(header with { Sha256 = NoHash });
            long offset = (16 + placeholder.Length + Alignment - 1) / Alignment * Alignment;
            stream.SetLength(offset);
            stream.Position = offset;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long written = 0;
            foreach (var chunk in rows)
            {
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan());
                hash.AppendData(bytes);
                stream.Write(bytes);
                written += chunk.Length;
            }
            if (written != header.Count * rowFloats)
            {
                throw new InvalidOperationException($"Shard {header.Shard} received {written} values for {header.Count} rows of {rowFloats}.");
            }
            byte[] json = Json(header with { Sha256 = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant() });
            stream.Position = 0;
            stream.Write(Encoding.ASCII.GetBytes(Magic));
            stream.Write(BitConverter.GetBytes(offset));
            stream.Write(BitConverter.GetBytes(json.Length));
            stream.Write(json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Opens a shard file, checking its header and length (and the hash of its data when <paramref name="verify"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a complete shard; the message names it and says what is wrong.</exception>
    public static StoreShard Open(string path, bool verify)
    {
        ShardHeader header;
        long offset;
        long length = new FileInfo(path).Length;
        using (var stream = File.OpenRead(path))
        using (var reader = new BinaryReader(stream))
        {
            if (length < 16 || Encoding.ASCII.GetString(reader.ReadBytes(8)) != Magic)
            {
                throw new InvalidDataException($"{path} is not a teacher-output shard (it does not start with {Magic}).");
            }
            offset = reader.ReadInt64();
            int jsonLength = reader.ReadInt32();
            if (jsonLength <= 0 || 16 + jsonLength > Math.Min(offset, length))
            {
                throw new InvalidDataException($"{path}: the shard's header is damaged.");
            }
            try
            {
                header = JsonSerializer.Deserialize<ShardHeader>(reader.ReadBytes(jsonLength))
                    ?? throw new InvalidDataException($"{path}: the shard's header is empty.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: the shard's header is damaged: {e.Message}", e);
            }
            long expected = offset + header.Count * header.RowFloats * sizeof(float);
            if (length != expected)
            {
                throw new InvalidDataException(
                    $"{path} is {length:N0} bytes where its {header.Count:N0} rows need {expected:N0}: the shard is truncated or damaged; write it again.");
            }
            if (verify)
            {
                stream.Position = offset;
                string actual = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
                if (actual != header.Sha256)
                {
                    throw new InvalidDataException($"{path}: the data does not match the hash in its header: the shard is damaged; write it again.");
                }
            }
        }
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            return new StoreShard(path, header, offset, file, file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Copies the outputs of example <paramref name="row"/> (of the whole store) into <paramref name="destination"/>.</summary>
    public void ReadRow(long row, Span<float> destination)
    {
        long position = dataOffset + (row - Header.Start) * Header.RowFloats * sizeof(float);
        view.SafeMemoryMappedViewHandle.ReadSpan((ulong)(view.PointerOffset + position), destination[..(int)Header.RowFloats]);
    }

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }

    private static byte[] Json(ShardHeader header) => JsonSerializer.SerializeToUtf8Bytes(header);
}

/// <summary>The JSON header of a shard.</summary>
internal sealed record ShardHeader(string Fingerprint, int Shard, int Shards, long Start, long Count, OutputHeader[] Outputs, string Sha256)
{
    /// <summary>float32 values per example.</summary>
    public long RowFloats => Outputs.Sum(o => o.Shape.Aggregate(1L, (p, d) => p * d));
}

/// <summary>One output in a shard's header.</summary>
internal sealed record OutputHeader(int Teacher, string? Layer, long[] Shape);
