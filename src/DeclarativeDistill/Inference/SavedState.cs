using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace DeclarativeDistill;

/// <summary>
/// The keys of a weights file in TorchSharp's format (what <c>Module.save</c> writes: a LEB128 count, then per tensor
/// its key, its element type, its shape and its bytes), read without a module. TorchSharp can only load a file into a
/// module that already has every tensor, so <c>Load</c> reads the keys first to add a network's optional parts (its input
/// normalisation, its class names) before loading. Small tensors can be read whole.
/// </summary>
internal static class SavedState
{
    /// <summary>Each tensor's key and shape, in file order, with the bytes of those <paramref name="read"/> names.</summary>
    public static IReadOnlyList<(string Key, long[] Shape, byte[]? Bytes)> Entries(string path, Func<string, bool> read)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var entries = new List<(string, long[], byte[]?)>();
        long count = Decode(reader);
        for (long i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            long type = Decode(reader);
            long rank = Decode(reader);
            if (rank is < 0 or > 16)
            {
                throw new InvalidDataException($"{path} is not a weights file in TorchSharp's format (tensor {key} has rank {rank}).");
            }
            var shape = new long[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++)
            {
                shape[d] = Decode(reader);
                elements = checked(elements * shape[d]);
            }
            long bytes = checked(elements * ElementSize(type, path, key));
            if (read(key))
            {
                entries.Add((key, shape, reader.ReadBytes(checked((int)bytes))));
            }
            else
            {
                stream.Seek(bytes, SeekOrigin.Current);
                entries.Add((key, shape, null));
            }
        }
        return entries;
    }

    private static long Decode(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new InvalidDataException("A length in the weights file does not end.");
    }

    /// <summary>Bytes per element of TorchSharp's <c>ScalarType</c> codes.</summary>
    private static int ElementSize(long type, string path, string key) => type switch
    {
        0 or 1 or 11 => 1, // uint8, int8, bool
        2 or 5 or 15 => 2, // int16, float16, bfloat16
        3 or 6 => 4,       // int32, float32
        4 or 7 or 8 => 8,  // int64, float64, complex32
        9 => 16,           // complex64
        _ => throw new InvalidDataException($"{path}: tensor {key} has an element type ({type}) TorchSharp does not save."),
    };
}
