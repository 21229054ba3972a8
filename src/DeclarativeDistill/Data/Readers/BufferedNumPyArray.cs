using System;
using System.IO;

namespace DeclarativeDistill;

/// <summary>
/// A .npy array read whole into memory from a stream: a member of an .npz archive, which may be deflated and so cannot
/// be mapped. Reads copy from the buffer, which nothing writes after construction.
/// </summary>
internal sealed class BufferedNumPyArray : NumPyArray
{
    private readonly byte[] data;

    private BufferedNumPyArray(string name, NumPyHeader header, byte[] data)
        : base(name, header) => this.data = data;

    /// <summary>
    /// Reads a .npy array of <paramref name="storedLength"/> bytes (header included) from <paramref name="stream"/>:
    /// the header first, and the data only once its declared size is found to match.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a .npy array this reader accepts, truncated, or corrupt; the message names <paramref name="name"/>.</exception>
    public static BufferedNumPyArray Read(Stream stream, long storedLength, string name)
    {
        var header = NumPyHeader.Read(stream, name);
        header.CheckDataLength(storedLength - header.DataOffset, name);
        if (header.DataLength > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"{name}: {header.DataLength:N0} bytes of data is more than an archive member can be read into memory at once; "
                + "save the array with np.save and open it with Datasets.OpenNumPy, which maps the file.");
        }
        var data = GC.AllocateUninitializedArray<byte>((int)header.DataLength);
        int read = NumPyHeader.ReadAtMost(stream, data, name);
        if (read < data.Length)
        {
            throw new InvalidDataException(
                $"{name}: truncated: the header declares shape {header.ShapeText} of {header.Type.Descr} = {header.DataLength:N0} bytes of data but only {read:N0} follow.");
        }
        return new BufferedNumPyArray(name, header, data);
    }

    /// <inheritdoc/>
    public override void ReadData(long offset, Span<byte> target) => data.AsSpan(checked((int)offset), target.Length).CopyTo(target);

    /// <inheritdoc/>
    public override void Dispose()
    {
    }
}
