using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.IO.Hashing;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Reads the IDX format of MNIST, Fashion-MNIST and friends: a big-endian header (two zero bytes, a
/// type code, the number of dimensions, each dimension as a 32-bit count) followed by the data.
/// Files may be raw or gzip-compressed (detected from their first bytes, not their name).
/// </summary>
public static class Idx
{
    private const byte UnsignedByte = 0x08;

    /// <summary>
    /// Loads images and labels into a <see cref="LabeledDataset"/>: each image flattened to one row, pixels scaled to
    /// [0, 1] by dividing by 255 (or, with <paramref name="rawPixels"/>, as stored: 0 to 255, for a network that
    /// normalises its own inputs and is deployed on raw pixels).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is truncated, corrupt or not IDX; the message names it.</exception>
    public static LabeledDataset Load(string imagesPath, string labelsPath, bool rawPixels = false)
    {
        var images = ReadFile(imagesPath);
        var labels = ReadFile(labelsPath);
        return ToDataset(images, labels, imagesPath, labelsPath, rawPixels);
    }

    internal static LabeledDataset Load(Stream images, string imagesName, Stream labels, string labelsName, bool rawPixels = false) =>
        ToDataset(Read(images, imagesName), Read(labels, labelsName), imagesName, labelsName, rawPixels);

    private static LabeledDataset ToDataset(IdxArray images, IdxArray labels, string imagesName, string labelsName, bool rawPixels)
    {
        if (images.Dimensions.Length < 2)
        {
            throw new InvalidDataException($"{imagesName}: expected images (at least 2 dimensions), found a {images.Dimensions.Length}-dimensional array.");
        }
        if (labels.Dimensions.Length != 1)
        {
            throw new InvalidDataException($"{labelsName}: expected labels (1 dimension), found a {labels.Dimensions.Length}-dimensional array.");
        }
        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
        {
            throw new InvalidDataException($"{imagesName} holds {count} images but {labelsName} holds {labels.Dimensions[0]} labels.");
        }

        int width = images.Data.Length / Math.Max(count, 1);
        var features = tensor(images.Data, new long[] { count, width }, ScalarType.Byte);
        var labelTensor = tensor(labels.Data, new long[] { count }, ScalarType.Byte);
        using (features)
        using (labelTensor)
        {
            var pixels = features.to_type(ScalarType.Float32);
            return new LabeledDataset(rawPixels ? pixels : pixels.div_(255f), labelTensor.to_type(ScalarType.Int64));
        }
    }

    private static IdxArray ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        }
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads the header first and then exactly the data it declares, so that memory is bounded by the
    /// declaration, and a declaration that the file cannot hold is refused before anything is allocated.
    /// </summary>
    private static IdxArray Read(Stream stream, string name)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        long stored = stream.Length - stream.Position;
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int magicLength = ReadAtMost(stream, magic);
        stream.Position = start;
        if (magicLength < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        {
            return Parse(stream, name, available: stored, crc: null);
        }

        var crc = new Crc32();
        IdxArray array;
        using (var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true))
        {
            array = Parse(gzip, name, available: null, crc, maxInflated: stored * MaxDeflateRatio + 1024);
        }
        CheckTrailer(stream, start + stored, crc, array, name);
        return array;
    }

    /// <summary>
    /// GZipStream stops without complaint where a file was cut before its 8-byte trailer, so the trailer is
    /// checked here: the CRC-32 and the length (mod 2^32) of everything inflated.
    /// </summary>
    private static void CheckTrailer(Stream stream, long end, Crc32 crc, IdxArray array, string name)
    {
        Span<byte> trailer = stackalloc byte[8];
        stream.Position = Math.Max(0, end - 8);
        if (ReadAtMost(stream, trailer) < 8
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != crc.GetCurrentHashAsUInt32()
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != (uint)(array.HeaderLength + array.Data.LongLength))
        {
            throw new InvalidDataException(
                $"{name}: the gzip stream is truncated or damaged: its trailer (CRC-32 and length) does not match the data inflated.");
        }
    }

    /// <summary>
    /// Parses an IDX array from <paramref name="input"/>. <paramref name="available"/> is the number of bytes a raw
    /// file holds (null for a compressed stream, bounded by <paramref name="maxInflated"/> instead).
    /// </summary>
    private static IdxArray Parse(Stream input, string name, long? available, Crc32? crc, long maxInflated = long.MaxValue)
    {
        var prefix = new byte[4];
        int prefixLength = ReadAll(input, prefix, crc, name);
        if (prefixLength < 4)
        {
            throw new InvalidDataException($"{name}: {prefixLength} bytes is too short for an IDX header.");
        }
        if (prefix[0] != 0 || prefix[1] != 0)
        {
            throw new InvalidDataException($"{name}: not an IDX file (it starts with 0x{prefix[0]:x2}{prefix[1]:x2}, IDX files start with 0x0000).");
        }
        if (prefix[2] != UnsignedByte)
        {
            throw new InvalidDataException($"{name}: element type 0x{prefix[2]:x2} is not supported (only unsigned bytes, 0x08, as in MNIST).");
        }
        int rank = prefix[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{name}: the header declares 0 dimensions.");
        }
        int headerLength = 4 + 4 * rank;
        var sizes = new byte[4 * rank];
        int sizesLength = ReadAll(input, sizes, crc, name);
        if (sizesLength < sizes.Length)
        {
            throw new InvalidDataException($"{name}: truncated header ({4 + sizesLength} bytes; {rank} dimensions need {headerLength}).");
        }

        var dimensions = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(4 * i));
            if (size == 0 || size > int.MaxValue)
            {
                throw new InvalidDataException($"{name}: dimension {i + 1} has size {size}.");
            }
            dimensions[i] = (int)size;
            expected *= size;
            if (expected > Array.MaxLength)
            {
                throw new InvalidDataException($"{name}: the declared dimensions ({string.Join(" × ", dimensions[..(i + 1)])}) are too large.");
            }
        }
        string declared = string.Join(" × ", dimensions);

        if (available is { } total)
        {
            long actual = total - headerLength;
            if (actual < expected)
            {
                throw new InvalidDataException($"{name}: truncated: the header declares {declared} = {expected:N0} bytes of data but only {actual:N0} follow.");
            }
            if (actual > expected)
            {
                throw new InvalidDataException($"{name}: {actual - expected:N0} unexpected bytes after the {declared} data the header declares.");
            }
        }
        else if (headerLength + expected > maxInflated)
        {
            throw new InvalidDataException(
                $"{name}: the header declares {declared} = {expected:N0} bytes of data, more than a gzip file of this size can hold "
                + $"(at most {maxInflated:N0} bytes inflated): the file is corrupt.");
        }

        var data = GC.AllocateUninitializedArray<byte>((int)expected);
        int read = ReadAll(input, data, crc, name);
        if (read < expected)
        {
            throw new InvalidDataException($"{name}: truncated: the header declares {declared} = {expected:N0} bytes of data but only {read:N0} follow.");
        }
        long extra = CountRemaining(input, crc, name);
        if (extra > 0)
        {
            string amount = extra > MaxCountedExtra ? $"more than {MaxCountedExtra:N0}" : $"{extra:N0}";
            throw new InvalidDataException($"{name}: {amount} unexpected bytes after the {declared} data the header declares.");
        }
        return new IdxArray(dimensions, headerLength, data);
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the stream goes; returns how many bytes were read.</summary>
    private static int ReadAll(Stream input, byte[] buffer, Crc32? crc, string name)
    {
        int read = Inflating(name, () => ReadAtMost(input, buffer));
        crc?.Append(buffer.AsSpan(0, read));
        return read;
    }

    /// <summary>Runs a read of a possibly compressed stream, naming the file when the gzip stream is corrupt.</summary>
    private static T Inflating<T>(string name, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: the gzip stream is corrupt or truncated ({e.Message}).", e);
        }
    }

    private static int ReadAtMost(Stream input, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = input.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    /// <summary>
    /// Reads what is left in small pieces and says how much it was, stopping past <see cref="MaxCountedExtra"/>:
    /// any of it is an error, and it may be a gigabyte of inflated zeros.
    /// </summary>
    private static long CountRemaining(Stream input, Crc32? crc, string name)
    {
        var buffer = new byte[81920];
        long count = 0;
        int read;
        while (count <= MaxCountedExtra && (read = Inflating(name, () => input.Read(buffer))) > 0)
        {
            crc?.Append(buffer.AsSpan(0, read));
            count += read;
        }
        return count;
    }

    private const long MaxCountedExtra = 1 << 24;

    /// <summary>The largest ratio of inflated to compressed size that deflate can reach (1032:1).</summary>
    private const long MaxDeflateRatio = 1032;

    private sealed record IdxArray(int[] Dimensions, int HeaderLength, byte[] Data);
}
