using System;
using System.IO;
using System.Linq;
using System.Reflection;
using DeclarativeDistill.Build;
using Xunit;

namespace DeclarativeDistill.Tests.Native;

/// <summary>The GLIBCXX_3.4.32 fix of build/MarkGlibcxxRequirementWeak.cs, on TorchSharp's real library.</summary>
public class LibTorchSharpFixTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void Marks_the_requirement_weak_once_and_changes_two_bytes()
    {
        byte[] original = File.ReadAllBytes(OriginalLibrary());
        byte[] image = (byte[])original.Clone();

        Assert.Equal(ElfVersionNeeds.Result.Changed, ElfVersionNeeds.MarkWeak(image, "libstdc++.so.6", Version));
        Assert.Equal(ElfVersionNeeds.Result.AlreadyWeak, ElfVersionNeeds.MarkWeak(image, "libstdc++.so.6", Version));

        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToList();
        Assert.Single(changed); // the low byte of vna_flags gains VER_FLG_WEAK (0x2)
        Assert.Equal(original[changed[0]] | 0x2, image[changed[0]]);
    }

    [Fact]
    public void Other_requirements_are_left_alone()
    {
        byte[] image = File.ReadAllBytes(OriginalLibrary());
        Assert.Equal(ElfVersionNeeds.Result.NotRequired, ElfVersionNeeds.MarkWeak(image, "libstdc++.so.6", "GLIBCXX_9.9.99"));
        Assert.Equal(ElfVersionNeeds.Result.NotRequired, ElfVersionNeeds.MarkWeak(image, "libnothing.so", Version));
    }

    [Fact]
    public void The_copy_in_the_build_output_is_already_fixed_where_needed()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || ElfVersionNeeds.SystemLibraryProvides("libstdc++.so.6", Version))
        {
            return; // nothing to fix on this system
        }
        Assert.Equal(ElfVersionNeeds.Result.AlreadyWeak,
            ElfVersionNeeds.MarkWeak(File.ReadAllBytes(output), "libstdc++.so.6", Version));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(70_000)]
    public void A_truncated_file_is_refused_not_corrupted(int length)
    {
        byte[] image = File.ReadAllBytes(OriginalLibrary()).Take(length).ToArray();
        Assert.Throws<FormatException>(() => ElfVersionNeeds.MarkWeak(image, "libstdc++.so.6", Version));
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused()
    {
        var error = Assert.Throws<FormatException>(() =>
            ElfVersionNeeds.MarkWeak(new byte[128], "libstdc++.so.6", Version));
        Assert.Contains("not an ELF file", error.Message);
    }

    private static string OriginalLibrary()
    {
        string root = typeof(LibTorchSharpFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        return Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }
}
