using System.Linq;
using System.Reflection;

namespace DeclarativeDistill.Generators.Tests.Infrastructure;

/// <summary>Folders recorded by the build (Directory.Build.props), valid whatever path map the compiler used.</summary>
internal static class BuildPaths
{
    public static string ProjectDirectory => Metadata("ProjectDirectory");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
