using System;
using System.IO;
using System.IO.MemoryMappedFiles;

namespace DeclarativeDistill;

/// <summary>
/// A .npy file left on disk and mapped into memory: each read copies bytes straight from the mapping, so an array
/// larger than memory is read a batch at a time and the operating system caches what is read often. Reads take their
/// own offsets from the one read-only view, so several threads read at once.
/// </summary>
internal sealed class MappedNumPyArray : NumPyArray
{
    private readonly MemoryMappedFile? file;
    private readonly MemoryMappedViewAccessor? view;

    private MappedNumPyArray(string path, NumPyHeader header, MemoryMappedFile? file, MemoryMappedViewAccessor? view)
        : base(path, header)
    {
        this.file = file;
        this.view = view;
    }

    /// <summary>Reads the header of the file at <paramref name="path"/>, checks its length, and maps it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a .npy file this reader accepts, or truncated; the message names the file.</exception>
    public static MappedNumPyArray Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"NumPy file not found: {path}", path);
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        MemoryMappedFile? file = null;
        try
        {
            var header = NumPyHeader.Read(stream, path);
            header.CheckDataLength(stream.Length - header.DataOffset, path);
            if (header.DataLength == 0)
            {
                stream.Dispose();
                return new MappedNumPyArray(path, header, null, null);
            }
            // The mapping keeps its own handle on the file (leaveOpen: false hands it the stream).
            file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedNumPyArray(path, header, file, view);
        }
        catch
        {
            file?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override void ReadData(long offset, Span<byte> target)
    {
        if (target.IsEmpty)
        {
            return;
        }
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + target.Length, Header.DataLength, nameof(offset));
        view!.SafeMemoryMappedViewHandle.ReadSpan((ulong)(view.PointerOffset + Header.DataOffset + offset), target);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        view?.Dispose();
        file?.Dispose();
    }
}
