using System;
using System.IO;
using System.Threading;
using DeclarativeDistill.Build;

namespace DeclarativeDistill;

/// <summary>
/// The run-time half of the TorchSharp loading fix (the build-time half is build/DeclarativeDistill.targets).
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c>, which the libstdc++ of
/// Debian 12 and Ubuntu 22.04 lacks, although nothing ever binds the one symbol behind it. The build marks
/// that requirement weak in the output folder. Projects that reference DeclarativeDistill in a way that
/// skips its build targets (a plain project reference from outside this repository, say) get the same
/// fix here instead: the generator adds a module initializer to every assembly that declares a network,
/// which calls <see cref="EnsureTorchSharpLoadable"/> before any TorchSharp code runs. It changes the
/// application's own copy of the library, atomically, and nothing else. Set the environment variable
/// <c>DECLARATIVE_DISTILL_NATIVE_FIX=0</c> to turn it off.
/// </remarks>
public static class NativeLibraries
{
    private const string Library = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private static int attempted;

    /// <summary>
    /// On Linux, where the system libstdc++ lacks <c>GLIBCXX_3.4.32</c>, marks that requirement weak in the
    /// application's copy of <c>libLibTorchSharp.so</c>. Does nothing elsewhere, after the first call, or
    /// when the copy is already fixed. Never throws: if it cannot help, TorchSharp reports its own error.
    /// </summary>
    public static void EnsureTorchSharpLoadable()
    {
        if (Interlocked.Exchange(ref attempted, 1) == 1
            || !OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable("DECLARATIVE_DISTILL_NATIVE_FIX") == "0")
        {
            return;
        }

        try
        {
            if (ElfVersionNeeds.SystemLibraryProvides("libstdc++.so.6", MissingVersion))
            {
                return;
            }
            foreach (string path in Candidates())
            {
                if (!File.Exists(path))
                {
                    continue;
                }
                byte[] image = File.ReadAllBytes(path);
                if (ElfVersionNeeds.MarkWeak(image, "libstdc++.so.6", MissingVersion) == ElfVersionNeeds.Result.Changed)
                {
                    ElfVersionNeeds.WriteAtomically(path, image);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine(
                $"DeclarativeDistill: could not make {Library} loadable on this system ({e.Message}). " +
                "TorchSharp may fail to load; building the application with the DeclarativeDistill package applies the same fix at build time.");
        }
    }

    private static string[] Candidates()
    {
        string root = AppContext.BaseDirectory;
        return new[]
        {
            Path.Combine(root, "runtimes", "linux-x64", "native", Library),
            Path.Combine(root, "runtimes", "linux-arm64", "native", Library),
            Path.Combine(root, Library),
        };
    }
}
