using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// An .npz file, as <c>np.savez</c> (members stored) and <c>np.savez_compressed</c> (members deflated) write it: a zip
/// archive of .npy files named after the arrays (<c>x.npy</c>, <c>y.npy</c>). Members are read whole into memory.
/// </summary>
internal sealed class NumPyArchive : IDisposable
{
    private readonly string path;
    private readonly ZipArchive zip;

    private NumPyArchive(string path, ZipArchive zip)
    {
        this.path = path;
        this.zip = zip;
    }

    /// <summary>Opens the archive at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a zip archive; the message names the file.</exception>
    public static NumPyArchive Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"NumPy archive not found: {path}", path);
        }
        var stream = File.OpenRead(path);
        try
        {
            return new NumPyArchive(path, new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false));
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: not an .npz archive (a zip of .npy files, as np.savez writes): {e.Message}", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The names of the arrays the archive holds (its <c>.npy</c> members without the extension).</summary>
    public string[] ArrayNames => zip.Entries
        .Select(entry => entry.FullName)
        .Where(member => member.EndsWith(".npy", StringComparison.Ordinal))
        .Select(member => member[..^4])
        .ToArray();

    /// <summary>Reads the array <paramref name="name"/> (member <c>name.npy</c>, or <c>name</c> itself when it ends in .npy).</summary>
    /// <param name="name">The array's name, as given to <c>np.savez</c>.</param>
    /// <param name="parameter">The argument that named it (<c>features</c> or <c>labels</c>), for the error.</param>
    /// <exception cref="ArgumentException">The archive has no such array; the message lists the arrays it has.</exception>
    /// <exception cref="InvalidDataException">The member is not a .npy array this reader accepts, or is corrupt; the message names the file and the member.</exception>
    public NumPyArray Read(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        var entry = zip.GetEntry(name + ".npy") ?? (name.EndsWith(".npy", StringComparison.Ordinal) ? zip.GetEntry(name) : null);
        if (entry is null)
        {
            string[] names = ArrayNames;
            string holds = names.Length == 0 ? "no .npy members" : "the arrays " + string.Join(", ", names.Select(n => $"'{n}'"));
            string unlabeled = parameter == "labels" ? " (labels: null for examples without labels)" : "";
            throw new ArgumentException(
                $"{path} has no array '{name}' (member {name}.npy); it holds {holds}. Name the arrays with features: and labels:{unlabeled}.", parameter);
        }
        string member = $"{path} (member {entry.FullName})";
        try
        {
            using var stream = entry.Open();
            return BufferedNumPyArray.Read(stream, entry.Length, member);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(member, StringComparison.Ordinal))
        {
            // ZipArchive's own complaint (an unsupported compression method, a damaged local header).
            throw new InvalidDataException($"{member}: cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose() => zip.Dispose();
}
