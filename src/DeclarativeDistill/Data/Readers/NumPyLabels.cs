using System;
using System.IO;

namespace DeclarativeDistill;

/// <summary>
/// Reads a label array whole (8 bytes an example, however many features an example has) and checks it: one
/// dimension, one label per example, each a class index in <c>[0, classCount)</c>. Integer arrays of any width are
/// accepted, and float arrays whose values are all whole numbers (what <c>np.save(path, y.astype(float))</c> or a
/// pandas column of floats gives); a fraction is refused.
/// </summary>
internal static class NumPyLabels
{
    private const int Chunk = 1 << 16;

    /// <summary>The labels of <paramref name="labels"/> and the class count: <paramref name="classCount"/>, or the largest label + 1.</summary>
    /// <exception cref="InvalidDataException">A label array of another shape or length, or a label that is not a class index; the message names the file and the example.</exception>
    public static (long[] Labels, int ClassCount) Read(NumPyArray labels, NumPyArray features, int? classCount)
    {
        var header = labels.Header;
        if (header.Shape.Length != 1)
        {
            string hint = header.Shape.Length == 2 && header.Shape[1] == 1 ? " (save y.ravel() for a column of shape (N, 1))" : "";
            throw new InvalidDataException(
                $"{labels.Name}: labels must be a 1-D array of one class index per example; found shape {header.ShapeText}{hint}.");
        }
        long count = features.Header.Shape[0];
        if (header.Shape[0] != count)
        {
            throw new InvalidDataException(
                $"{features.Name} holds {count} examples but {labels.Name} holds {header.Shape[0]} labels.");
        }

        var values = new long[count];
        var type = header.Type;
        var bytes = new byte[Math.Min(count, Chunk) * type.Size];
        long largest = -1;
        for (long start = 0; start < count; start += Chunk)
        {
            int size = (int)Math.Min(Chunk, count - start);
            var raw = bytes.AsSpan(0, size * type.Size);
            labels.ReadData(start * type.Size, raw);
            var chunk = values.AsSpan((int)start, size);
            int bad = type.ToInt64(raw, chunk);
            if (bad >= 0)
            {
                throw new InvalidDataException(
                    $"{labels.Name}: the label of example {start + bad} is {type.Format(raw.Slice(bad * type.Size, type.Size))}, not a class index.");
            }
            for (int i = 0; i < size; i++)
            {
                long label = chunk[i];
                if (label < 0)
                {
                    throw new InvalidDataException($"{labels.Name}: the label of example {start + i} is {label}; labels are class indices from 0.");
                }
                if (label >= (classCount ?? int.MaxValue))
                {
                    string limit = classCount is { } declared ? $"{declared} classes" : $"a class count (at most {int.MaxValue})";
                    throw new InvalidDataException($"{labels.Name}: the label of example {start + i} is {label}, out of range for {limit}.");
                }
                largest = Math.Max(largest, label);
            }
        }
        return (values, classCount ?? (int)(largest + 1));
    }
}
