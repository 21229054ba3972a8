using System.IO;
using System.Linq;
using System.Reflection;

namespace DeclarativeDistill.Tests;

/// <summary>Files made by real PyTorch under tools/pytorch-reference (see the scripts there).</summary>
internal static class PyTorchReference
{
    /// <summary>The full path of <paramref name="relativePath"/> inside tools/pytorch-reference.</summary>
    public static string File(string relativePath)
    {
        string root = typeof(PyTorchReference).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        return Path.Combine(root, "tools", "pytorch-reference", relativePath);
    }
}
