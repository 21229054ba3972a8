using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;

namespace DeclarativeDistill;

/// <summary>
/// The element type of a .npy array, from its header's <c>descr</c> (<c>&lt;f4</c>, <c>|u1</c>, <c>&gt;i8</c>, ...):
/// floats of 2, 4 or 8 bytes and signed or unsigned integers of 1 to 8 bytes, little- or big-endian (big-endian data
/// is byte-swapped as it is read). Anything else (Python objects, strings, booleans, complex numbers, dates, records)
/// is refused when the header is read, with what to save instead.
/// </summary>
internal sealed class NumPyDType
{
    private NumPyDType(string descr, char kind, int size, bool bigEndian)
    {
        Descr = descr;
        Kind = kind;
        Size = size;
        BigEndian = bigEndian;
    }

    /// <summary>The descriptor as the header wrote it, for messages.</summary>
    public string Descr { get; }

    /// <summary><c>f</c> (float), <c>i</c> (signed integer) or <c>u</c> (unsigned integer).</summary>
    public char Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int Size { get; }

    /// <summary>Whether elements are stored most significant byte first.</summary>
    public bool BigEndian { get; }

    /// <summary>Whether the elements are integers (signed or unsigned).</summary>
    public bool IsInteger => Kind is 'i' or 'u';

    /// <summary>Reads a descriptor.</summary>
    /// <exception cref="InvalidDataException">A type this reader does not convert; the message names <paramref name="name"/> and says what to do.</exception>
    public static NumPyDType Parse(string descr, string name)
    {
        if (descr.Length < 2 || descr[0] is not ('<' or '>' or '|' or '='))
        {
            throw new InvalidDataException($"{name}: the header's dtype '{descr}' is not a NumPy type descriptor such as '<f4'.");
        }
        char kind = descr[1];
        string? refusal = kind switch
        {
            'O' => "holds Python objects (dtype object), which np.save pickles and no other program can read safely: convert the array to numbers first, e.g. np.save(path, np.asarray(a, dtype=np.float32))",
            'U' or 'S' or 'a' => "holds strings: save the numbers (e.g. class indices) instead",
            'b' or '?' => "holds booleans: save a.astype(np.uint8) instead",
            'c' => "holds complex numbers: save their real and imaginary parts as separate features",
            'M' or 'm' => "holds dates or time spans: convert them to numbers first",
            'V' => "holds raw or record (void) elements: save each field as its own array",
            'f' or 'i' or 'u' => null,
            _ => "is of an unknown kind",
        };
        if (refusal is not null)
        {
            throw new InvalidDataException($"{name}: the array {refusal} (dtype '{descr}').");
        }
        if (!int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size)
            || !(kind == 'f' ? size is 2 or 4 or 8 : size is 1 or 2 or 4 or 8))
        {
            throw new InvalidDataException(
                $"{name}: dtype '{descr}' is not supported: features and labels may be float16, float32 or float64 ('<f2', '<f4', '<f8') "
                + "or integers of 1, 2, 4 or 8 bytes ('|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '<u8').");
        }
        bool bigEndian = descr[0] switch
        {
            '>' => true,
            '<' => false,
            _ => !BitConverter.IsLittleEndian, // '|' (one byte: no order) or '=' (the writer's native order, taken as ours)
        };
        return new NumPyDType(descr, kind, size, bigEndian);
    }

    /// <summary>Converts the elements in <paramref name="source"/> to float32, as NumPy's <c>astype(np.float32)</c> does: values as they are, no scaling.</summary>
    public void ToSingle(ReadOnlySpan<byte> source, Span<float> target)
    {
        if (Kind == 'f' && Size == 4 && BigEndian != BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source[..(target.Length * 4)]).CopyTo(target);
            return;
        }
        if (Kind == 'u' && Size == 1)
        {
            for (int i = 0; i < target.Length; i++)
            {
                target[i] = source[i];
            }
            return;
        }
        for (int i = 0; i < target.Length; i++)
        {
            var element = source.Slice(i * Size, Size);
            target[i] = Kind switch
            {
                'f' => (float)Float(element), // exact for float16 and float32; float64 is rounded once, as astype does
                'i' => Signed(element),
                _ => Unsigned(element),
            };
        }
    }

    /// <summary>
    /// Converts the elements in <paramref name="source"/> to int64 class indices: integers as they are, floats when
    /// they are whole numbers. Returns the index of the first element that is not a whole number in the range of int64
    /// (a fraction, NaN, or an unsigned value above 2^63 - 1), or -1 when all are.
    /// </summary>
    public int ToInt64(ReadOnlySpan<byte> source, Span<long> target)
    {
        for (int i = 0; i < target.Length; i++)
        {
            var element = source.Slice(i * Size, Size);
            if (Kind == 'i')
            {
                target[i] = Signed(element);
            }
            else if (Kind == 'u')
            {
                ulong value = Unsigned(element);
                if (value > long.MaxValue)
                {
                    return i;
                }
                target[i] = (long)value;
            }
            else
            {
                double value = Float(element);
                if (value != Math.Floor(value) || value < long.MinValue || value >= 9.2233720368547758e18)
                {
                    return i;
                }
                target[i] = (long)value;
            }
        }
        return -1;
    }

    /// <summary>One element as NumPy would print it (<c>2.5</c>, <c>-1</c>, <c>nan</c>, <c>inf</c>), for messages.</summary>
    public string Format(ReadOnlySpan<byte> element)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (Kind != 'f')
        {
            return Kind == 'i' ? Signed(element).ToString(invariant) : Unsigned(element).ToString(invariant);
        }
        double value = Float(element);
        return double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString("R", invariant);
    }

    private double Float(ReadOnlySpan<byte> e) => Size switch
    {
        2 => (double)(BigEndian ? BinaryPrimitives.ReadHalfBigEndian(e) : BinaryPrimitives.ReadHalfLittleEndian(e)),
        4 => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
        _ => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e),
    };

    private long Signed(ReadOnlySpan<byte> e) => Size switch
    {
        1 => (sbyte)e[0],
        2 => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(e) : BinaryPrimitives.ReadInt16LittleEndian(e),
        4 => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e),
        _ => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e),
    };

    private ulong Unsigned(ReadOnlySpan<byte> e) => Size switch
    {
        1 => e[0],
        2 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e),
        4 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(e) : BinaryPrimitives.ReadUInt32LittleEndian(e),
        _ => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e),
    };
}
