using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
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
    /// Loads images and labels into a <see cref="LabeledDataset"/>: each image flattened to one row,
    /// pixels scaled to [0, 1] by dividing by 255.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is truncated, corrupt or not IDX; the message names it.</exception>
    public static LabeledDataset Load(string imagesPath, string labelsPath)
    {
        var images = ReadFile(imagesPath);
        var labels = ReadFile(labelsPath);
        return ToDataset(images, labels, imagesPath, labelsPath);
    }

    internal static LabeledDataset Load(Stream images, string imagesName, Stream labels, string labelsName) =>
        ToDataset(Read(images, imagesName), Read(labels, labelsName), imagesName, labelsName);

    private static LabeledDataset ToDataset(IdxArray images, IdxArray labels, string imagesName, string labelsName)
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
            return new LabeledDataset(features.to_type(ScalarType.Float32).div_(255f), labelTensor.to_type(ScalarType.Int64));
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

    private static IdxArray Read(Stream stream, string name)
    {
        byte[] bytes;
        try
        {
            bytes = Decompress(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: the gzip stream is corrupt or truncated ({e.Message}).", e);
        }
        return Parse(bytes, name);
    }

    private static byte[] Decompress(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] raw = buffer.ToArray();
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
        {
            return raw;
        }
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        gzip.CopyTo(inflated);
        return inflated.ToArray();
    }

    private static IdxArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 4)
        {
            throw new InvalidDataException($"{name}: {bytes.Length} bytes is too short for an IDX header.");
        }
        if (bytes[0] != 0 || bytes[1] != 0)
        {
            throw new InvalidDataException($"{name}: not an IDX file (it starts with 0x{bytes[0]:x2}{bytes[1]:x2}, IDX files start with 0x0000).");
        }
        if (bytes[2] != UnsignedByte)
        {
            throw new InvalidDataException($"{name}: element type 0x{bytes[2]:x2} is not supported (only unsigned bytes, 0x08, as in MNIST).");
        }
        int rank = bytes[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{name}: the header declares 0 dimensions.");
        }
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
        {
            throw new InvalidDataException($"{name}: truncated header ({bytes.Length} bytes; {rank} dimensions need {headerLength}).");
        }

        var dimensions = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * i));
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

        long actual = bytes.Length - headerLength;
        if (actual < expected)
        {
            throw new InvalidDataException(
                $"{name}: truncated: the header declares {string.Join(" × ", dimensions)} = {expected:N0} bytes of data but only {actual:N0} follow.");
        }
        if (actual > expected)
        {
            throw new InvalidDataException(
                $"{name}: {actual - expected:N0} unexpected bytes after the {string.Join(" × ", dimensions)} data the header declares.");
        }
        return new IdxArray(dimensions, bytes.AsSpan(headerLength).ToArray());
    }

    private sealed record IdxArray(int[] Dimensions, byte[] Data);
}
