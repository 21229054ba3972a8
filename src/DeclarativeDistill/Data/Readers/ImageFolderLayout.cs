using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// What an image folder holds before any image is opened: its classes in label order, and each class's image files in
/// order. The rules are torchvision's <c>ImageFolder</c> ones, made deterministic by ordinal sorting.
/// </summary>
internal sealed class ImageFolderLayout
{
    private static readonly string[] ImageExtensions = { ".png", ".jpg", ".jpeg" };

    private ImageFolderLayout(IReadOnlyList<string> classNames, IReadOnlyList<(string File, int Label)> images)
    {
        ClassNames = classNames;
        Images = images;
    }

    /// <summary>The classes, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Every image file, class by class, each class's files sorted ordinally by path.</summary>
    public IReadOnlyList<(string File, int Label)> Images { get; }

    /// <summary>Lists the classes and images of <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">No class subfolders; a class folder without images; a subfolder the fixed class names do not list.</exception>
    /// <exception cref="ArgumentException">The fixed class names are empty, blank or repeated.</exception>
    public static ImageFolderLayout Scan(string directory, IReadOnlyList<string>? fixedClassNames)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Image folder not found: {directory}");
        }
        var folders = Directory.EnumerateDirectories(directory)
            .Select(path => (Name: Path.GetFileName(path), Path: path))
            .Where(folder => !IsHidden(folder.Name))
            .ToDictionary(folder => folder.Name, folder => folder.Path, StringComparer.Ordinal);
        if (folders.Count == 0)
        {
            throw new InvalidDataException(
                $"{directory} has no class subfolders: an image folder holds one subfolder per class, each with its images (e.g. {Path.Combine(directory, "cat", "1.png")}).");
        }

        IReadOnlyList<string> classNames;
        if (fixedClassNames is null)
        {
            classNames = folders.Keys.OrderBy(name => name, StringComparer.Ordinal).ToArray();
        }
        else
        {
            classNames = CheckFixedClassNames(fixedClassNames);
            var unlisted = folders.Keys.Where(name => !classNames.Contains(name, StringComparer.Ordinal)).OrderBy(name => name, StringComparer.Ordinal).ToArray();
            if (unlisted.Length > 0)
            {
                throw new InvalidDataException(
                    $"{Path.Combine(directory, unlisted[0])} is a class folder that ImageFolderOptions.ClassNames does not list ({string.Join(", ", classNames)}): add it to the names, or move it out of {directory}.");
            }
        }

        var images = new List<(string File, int Label)>();
        for (int label = 0; label < classNames.Count; label++)
        {
            if (!folders.TryGetValue(classNames[label], out string? folder))
            {
                continue; // a fixed class without a folder: no examples
            }
            var files = ImagesUnder(folder);
            if (files.Count == 0 && fixedClassNames is null)
            {
                throw new InvalidDataException(
                    $"Class folder {folder} holds no images (.png, .jpg or .jpeg): remove it, or fix the classes with ImageFolderOptions.ClassNames to keep it as a class without examples.");
            }
            images.AddRange(files.Select(file => (file, label)));
        }
        return new ImageFolderLayout(classNames, images);
    }

    /// <summary>The image files at any depth under a class folder, sorted ordinally by path, without hidden files or folders.</summary>
    private static List<string> ImagesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(file => ImageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .Where(file => !Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(IsHidden))
            .OrderBy(file => file, StringComparer.Ordinal)
            .ToList();

    private static bool IsHidden(string name) => name.StartsWith('.');

    private static string[] CheckFixedClassNames(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            throw new ArgumentException("ImageFolderOptions.ClassNames is empty: list the classes in label order, or leave it null to take the subfolders' names.", nameof(names));
        }
        if (names.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("ImageFolderOptions.ClassNames holds a blank name: each class is named by its folder.", nameof(names));
        }
        if (names.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"ImageFolderOptions.ClassNames lists '{repeated.Key}' {repeated.Count()} times: each class has one label.", nameof(names));
        }
        return names.ToArray();
    }
}
