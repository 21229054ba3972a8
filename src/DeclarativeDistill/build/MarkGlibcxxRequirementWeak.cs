// Compiled twice: by MSBuild's RoslynCodeTaskFactory from DeclarativeDistill.targets (the build-time fix),
// and into the runtime assembly with DECLARATIVE_DISTILL_RUNTIME defined, where only ElfVersionNeeds is
// kept (the run-time fallback, NativeLibraries.cs). Keep it to C# 7.3 and netstandard2.0 APIs: that is what
// the task factory compiles with.
//
// Why it exists: TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++ and so
// requires the symbol version GLIBCXX_3.4.32. GCC 12's libstdc++ (Debian 12, Ubuntu 22.04) stops at
// GLIBCXX_3.4.30, and the dynamic loader refuses the library before any code runs. The only symbol
// behind that version is std::ios_base_library_init(), which <iostream> references but nothing ever
// calls or binds (the library has no relocation for it). Marking the requirement *weak* in the
// library's version-needs table turns the loader's hard failure into nothing at all: glibc treats a
// missing weak version as non-fatal. Two bytes change, in the copy in the build output only.
using System;
using System.IO;
using System.Text;
#nullable disable
#if !DECLARATIVE_DISTILL_RUNTIME
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace DeclarativeDistill.Build
{
#if !DECLARATIVE_DISTILL_RUNTIME
    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on a symbol-version requirement of ELF shared libraries, when the
    /// system's libstdc++ does not provide that version. Idempotent; writes atomically.
    /// </summary>
    public sealed class MarkGlibcxxRequirementWeak : Task
    {
        /// <summary>The shared libraries to fix (copies in the build output, never the NuGet cache).</summary>
        [Required]
        public ITaskItem[] Libraries { get; set; }

        /// <summary>The version requirement to weaken, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        [Required]
        public string Version { get; set; }

        /// <summary>The library whose requirement it is.</summary>
        public string NeededLibrary { get; set; } = "libstdc++.so.6";

        public override bool Execute()
        {
            if (ElfVersionNeeds.SystemLibraryProvides(NeededLibrary, Version))
            {
                Log.LogMessage(MessageImportance.Low,
                    "The system {0} provides {1}; {2} library(ies) left as they are.", NeededLibrary, Version, Libraries.Length);
                return true;
            }

            foreach (ITaskItem item in Libraries)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    byte[] image = File.ReadAllBytes(path);
                    ElfVersionNeeds.Result result = ElfVersionNeeds.MarkWeak(image, NeededLibrary, Version);
                    if (result == ElfVersionNeeds.Result.Changed)
                    {
                        ElfVersionNeeds.WriteAtomically(path, image);
                        Log.LogMessage(MessageImportance.Normal,
                            "DeclarativeDistill: marked {0} weak in {1} (the system libstdc++ lacks it).", Version, path);
                    }
                    else if (result == ElfVersionNeeds.Result.NotRequired)
                    {
                        Log.LogMessage(MessageImportance.Low, "{0} does not require {1}.", path, Version);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException)
                {
                    Log.LogWarning(null, "DD0900", null, path, 0, 0, 0, 0,
                        "Could not mark {0} weak in this file, so TorchSharp may fail to load on this machine: {1}",
                        Version, e.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif

    /// <summary>Reads and edits the SHT_GNU_verneed section of a 64-bit little-endian ELF image.</summary>
    internal static class ElfVersionNeeds
    {
        internal enum Result { Changed, AlreadyWeak, NotRequired }

        /// <summary>Keeps the original timestamp so MSBuild's incremental copy does not replace the fixed file.</summary>
        internal static void WriteAtomically(string path, byte[] image)
        {
            DateTime lastWrite = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".dd-tmp";
            File.WriteAllBytes(temporary, image);
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            if (File.Exists(path))
            {
                File.Delete(path); // unlinks a hard link rather than writing through it
            }
            File.Move(temporary, path);
        }

        private static string FindSystemLibrary(string name)
        {
            string[] directories =
            {
                "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            };
            foreach (string directory in directories)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            return null;
        }

        /// <summary>
        /// Whether the system's <paramref name="library"/> defines <paramref name="version"/>. A system without
        /// the library is treated as lacking it (marking a requirement weak is harmless where it is met).
        /// </summary>
        internal static bool SystemLibraryProvides(string library, string version)
        {
            string path = FindSystemLibrary(library);
            if (path == null)
            {
                return false;
            }
            byte[] needle = Encoding.ASCII.GetBytes(version);
            byte[] haystack = File.ReadAllBytes(path);
            return IndexOf(haystack, needle, 0, haystack.Length) >= 0;
        }

        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>Sets VER_FLG_WEAK on the requirement <paramref name="version"/> of <paramref name="library"/>.</summary>
        /// <exception cref="FormatException">The image is not a well-formed 64-bit little-endian ELF file.</exception>
        internal static Result MarkWeak(byte[] image, string library, string version)
        {
            try
            {
                return MarkWeakUnchecked(image, library, version);
            }
            catch (Exception e) when (e is IndexOutOfRangeException || e is ArgumentException || e is OverflowException)
            {
                throw new FormatException("the file is truncated or its ELF tables are corrupt", e);
            }
        }

        private static Result MarkWeakUnchecked(byte[] image, string library, string version)
        {
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            {
                throw new FormatException("not an ELF file");
            }
            if (image[4] != 2 || image[5] != 1)
            {
                throw new FormatException("not a 64-bit little-endian ELF file");
            }

            ulong sectionTable = ReadU64(image, 0x28);
            int entrySize = ReadU16(image, 0x3A);
            int sectionCount = ReadU16(image, 0x3C);
            if (entrySize < 64 || sectionTable + (ulong)entrySize * (ulong)sectionCount > (ulong)image.Length)
            {
                throw new FormatException("the section header table lies outside the file");
            }

            for (int s = 0; s < sectionCount; s++)
            {
                int header = checked((int)sectionTable + s * entrySize);
                if (ReadU32(image, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                int section = checked((int)ReadU64(image, header + 24));
                int sectionSize = checked((int)ReadU64(image, header + 32));
                int neededCount = (int)ReadU32(image, header + 44);
                int stringsHeader = checked((int)sectionTable + (int)ReadU32(image, header + 40) * entrySize);
                int strings = checked((int)ReadU64(image, stringsHeader + 24));
                int stringsSize = checked((int)ReadU64(image, stringsHeader + 32));
                if (section + sectionSize > image.Length || strings + stringsSize > image.Length)
                {
                    throw new FormatException("the version-needs section lies outside the file");
                }

                int need = section;
                for (int n = 0; n < neededCount; n++)
                {
                    int auxCount = ReadU16(image, need + 2);
                    string file = ReadName(image, strings, stringsSize, ReadU32(image, need + 4));
                    if (file == library)
                    {
                        int aux = need + (int)ReadU32(image, need + 8);
                        for (int a = 0; a < auxCount; a++)
                        {
                            if (ReadName(image, strings, stringsSize, ReadU32(image, aux + 8)) == version)
                            {
                                ushort flags = ReadU16(image, aux + 4);
                                if ((flags & VerFlagWeak) != 0)
                                {
                                    return Result.AlreadyWeak;
                                }
                                WriteU16(image, aux + 4, (ushort)(flags | VerFlagWeak));
                                return Result.Changed;
                            }
                            aux += (int)ReadU32(image, aux + 12);
                        }
                    }
                    uint next = ReadU32(image, need + 12);
                    if (next == 0)
                    {
                        break;
                    }
                    need += (int)next;
                }
            }
            return Result.NotRequired;
        }

        internal static int IndexOf(byte[] haystack, byte[] needle, int start, int end)
        {
            for (int i = start; i + needle.Length <= end; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }
                if (j == needle.Length)
                {
                    return i;
                }
            }
            return -1;
        }

        private static string ReadName(byte[] image, int strings, int stringsSize, uint offset)
        {
            if (offset >= stringsSize)
            {
                throw new FormatException("a version name points outside the string table");
            }
            int start = strings + (int)offset;
            int end = Array.IndexOf(image, (byte)0, start, strings + stringsSize - start);
            if (end < 0)
            {
                throw new FormatException("a version name is not terminated");
            }
            return Encoding.ASCII.GetString(image, start, end - start);
        }

        private static ushort ReadU16(byte[] b, int i) => (ushort)(b[i] | b[i + 1] << 8);

        private static uint ReadU32(byte[] b, int i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);

        private static ulong ReadU64(byte[] b, int i) => ReadU32(b, i) | (ulong)ReadU32(b, i + 4) << 32;

        private static void WriteU16(byte[] b, int i, ushort value)
        {
            b[i] = (byte)value;
            b[i + 1] = (byte)(value >> 8);
        }
    }
}
