using System;
using System.IO;
using Xunit.Sdk;

namespace DeclarativeDistill.Generators.Tests.Infrastructure;

/// <summary>
/// Verify's workflow, in-repo (Verify is not available here): the expected text lives beside the tests in
/// <c>Snapshots/Name.verified.cs</c>. On a difference the actual text is written to <c>Name.received.cs</c>
/// and the test fails, showing the first differing line. To accept new output, run the tests with
/// <c>DD_ACCEPT_SNAPSHOTS=1</c> (or copy the received file over the verified one) and review the diff in git.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "DD_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual)
    {
        string directory = Path.Combine(BuildPaths.ProjectDirectory, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No snapshot {verified} yet. Review {received} and accept it ({AcceptVariable}=1)."
            : $"Snapshot {name} differs from {verified} ({FirstDifference(expected, actual)}). The output is in {received}; accept it with {AcceptVariable}=1 if the change is intended.");
    }

    /// <summary>Line endings and the trailing BOM the compiler adds are not part of the content.</summary>
    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string left = i < e.Length ? e[i] : "<end of file>";
            string right = i < a.Length ? a[i] : "<end of file>";
            if (left != right)
            {
                return $"line {i + 1}: expected `{left.Trim()}`, got `{right.Trim()}`";
            }
        }
        return "same lines, different text";
    }
}
