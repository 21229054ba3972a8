using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace DeclarativeDistill;

/// <summary>
/// The header of a .npy file (format versions 1.0, 2.0 and 3.0, as <c>numpy.lib.format</c> writes them): the magic
/// <c>\x93NUMPY</c>, two version bytes, the header's length (2 bytes little-endian in 1.0, 4 in 2.0 and 3.0), and a
/// Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>; the data follows it in C order.
/// Parsed by hand: there is no maintained .NET reader of the format (NumSharp is unmaintained and cannot memory-map).
/// </summary>
internal sealed class NumPyHeader
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Headers longer than this are refused as corrupt (NumPy's own limit for reading is 10,000 bytes by default).</summary>
    private const int MaxHeaderLength = 1 << 20;

    private NumPyHeader(NumPyDType type, long[] shape, long dataOffset, long dataLength)
    {
        Type = type;
        Shape = shape;
        DataOffset = dataOffset;
        DataLength = dataLength;
    }

    /// <summary>The element type.</summary>
    public NumPyDType Type { get; }

    /// <summary>The array's dimensions (empty for a 0-D array).</summary>
    public long[] Shape { get; }

    /// <summary>Where the data starts: the length of the preamble and the header.</summary>
    public long DataOffset { get; }

    /// <summary>The bytes of data the shape and type declare.</summary>
    public long DataLength { get; }

    /// <summary>The shape as NumPy prints it: <c>(6, 5)</c>, <c>(6,)</c>, <c>()</c>.</summary>
    public string ShapeText => Shape.Length == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";

    /// <summary>
    /// Reads the preamble and the header from <paramref name="stream"/>, leaving it at the first byte of data.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a .npy header this reader accepts; the message names <paramref name="name"/> and says why.</exception>
    public static NumPyHeader Read(Stream stream, string name)
    {
        Span<byte> preamble = stackalloc byte[8];
        int read = ReadAtMost(stream, preamble, name);
        if (read < Magic.Length || !preamble[..Magic.Length].SequenceEqual(Magic))
        {
            string start = read == 0 ? "it is empty" : $"it starts with {Convert.ToHexString(preamble[..read])}";
            string zip = read >= 2 && preamble[0] == (byte)'P' && preamble[1] == (byte)'K'
                ? " It looks like a zip archive: read an .npz with Datasets.FromNumPyArchive." : "";
            throw new InvalidDataException($"{name}: not a .npy file ({start}; a .npy file starts with \\x93NUMPY).{zip}");
        }
        if (read < 8)
        {
            throw new InvalidDataException($"{name}: truncated: {read} bytes is too short for a .npy preamble.");
        }
        byte major = preamble[6], minor = preamble[7];
        if (major is not (1 or 2 or 3) || minor != 0)
        {
            throw new InvalidDataException($"{name}: .npy format version {major}.{minor} is not supported (this reader knows 1.0, 2.0 and 3.0).");
        }

        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        if (ReadAtMost(stream, lengthBytes, name) < lengthBytes.Length)
        {
            throw new InvalidDataException($"{name}: truncated: the file ends inside the .npy preamble.");
        }
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
        {
            throw new InvalidDataException($"{name}: the preamble declares a header of {headerLength:N0} bytes, more than {MaxHeaderLength:N0}: the file is corrupt.");
        }
        var headerBytes = new byte[headerLength];
        int headerRead = ReadAtMost(stream, headerBytes, name);
        if (headerRead < headerLength)
        {
            throw new InvalidDataException($"{name}: truncated: the header should have {headerLength} bytes but the file ends after {headerRead}.");
        }
        // Versions 1.0 and 2.0 write the header in Latin-1, 3.0 in UTF-8.
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        return Interpret(text, name, 8 + lengthBytes.Length + headerLength);
    }

    private static NumPyHeader Interpret(string text, string name, long dataOffset)
    {
        Dictionary<string, object> dict;
        try
        {
            dict = PythonLiteral.ParseDict(text);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{name}: the .npy header is not parseable ({e.Message}): {Quote(text)}", e);
        }
        string[] missing = new[] { "descr", "fortran_order", "shape" }.Where(key => !dict.ContainsKey(key)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidDataException($"{name}: the .npy header has no {string.Join(" or ", missing)}: {Quote(text)}");
        }

        var type = dict["descr"] switch
        {
            string descr => NumPyDType.Parse(descr, name),
            List<object> => throw new InvalidDataException(
                $"{name}: the array is a structured (record) array, which this reader does not split (header {Quote(text)}); save each field as its own array."),
            var other => throw new InvalidDataException($"{name}: the header's descr is {other}, not a type descriptor such as '<f4'."),
        };
        if (dict["shape"] is not List<object> items || items.Any(d => d is not long size || size < 0))
        {
            throw new InvalidDataException($"{name}: the header's shape is not a tuple of sizes: {Quote(text)}");
        }
        long[] shape = items.Cast<long>().ToArray();
        if (dict["fortran_order"] is not bool fortran)
        {
            throw new InvalidDataException($"{name}: the header's fortran_order is neither True nor False: {Quote(text)}");
        }
        if (fortran && shape.Count(size => size > 1) > 1)
        {
            throw new InvalidDataException(
                $"{name}: the array is stored in Fortran (column-major) order, which this reader does not transpose; "
                + "save it in C order with np.save(path, np.ascontiguousarray(a)).");
        }

        long length;
        try
        {
            length = shape.Aggregate((long)type.Size, (product, size) => checked(product * size));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{name}: the header declares shape {string.Join(" × ", shape)} of {type.Descr}, more bytes than a file can hold.");
        }
        return new NumPyHeader(type, shape, dataOffset, length);
    }

    /// <summary>
    /// Checks that <paramref name="available"/> bytes follow the header: exactly the data the shape and type declare.
    /// </summary>
    /// <exception cref="InvalidDataException">Fewer (truncated) or more; the message names <paramref name="name"/> and both sizes.</exception>
    public void CheckDataLength(long available, string name)
    {
        if (available < DataLength)
        {
            throw new InvalidDataException(
                $"{name}: truncated: the header declares shape {ShapeText} of {Type.Descr} = {DataLength:N0} bytes of data but only {Math.Max(0, available):N0} follow.");
        }
        if (available > DataLength)
        {
            throw new InvalidDataException(
                $"{name}: {available - DataLength:N0} unexpected bytes after the {DataLength:N0} bytes of data the header declares (shape {ShapeText} of {Type.Descr}).");
        }
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the stream goes; a stream that fails (a corrupt deflated member) is named.</summary>
    internal static int ReadAtMost(Stream stream, Span<byte> buffer, string name)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = stream.Read(buffer[total..]);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: the compressed data is corrupt ({e.Message}).", e);
        }
        return total;
    }

    private static string Quote(string header) => "'" + header.TrimEnd() + "'";
}
