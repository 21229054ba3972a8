using System;

namespace DeclarativeDistill;

/// <summary>
/// One array of a .npy file or of an .npz member: its header, its name for messages, and its data, read by byte
/// offset from several threads at once (no shared position).
/// </summary>
internal abstract class NumPyArray : IDisposable
{
    protected NumPyArray(string name, NumPyHeader header)
    {
        Name = name;
        Header = header;
    }

    /// <summary>The file, or <c>file.npz (member x.npy)</c>, for messages.</summary>
    public string Name { get; }

    /// <summary>The array's type and shape.</summary>
    public NumPyHeader Header { get; }

    /// <summary>
    /// Copies the data bytes <c>[offset, offset + target.Length)</c>, counted from the start of the data, into
    /// <paramref name="target"/>. Safe to call from several threads at once.
    /// </summary>
    public abstract void ReadData(long offset, Span<byte> target);

    /// <summary>Frees the mapping or the buffer.</summary>
    public abstract void Dispose();
}
