using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>
/// The ONNX project's own checker (<c>onnx.checker.check_model</c> with full shape inference), run by Debian's
/// <c>python3-onnx</c>. <c>.ci/run</c> installs it and sets <c>DD_ONNX_CHECKER=required</c>; elsewhere a machine
/// without it skips the tests that need it, and says so.
/// </summary>
internal static class OnnxChecker
{
    private const string Script = """
        import sys, onnx
        for path in sys.argv[1:]:
            try:
                onnx.checker.check_model(onnx.load(path), full_check=True)
                print("ok", path)
            except Exception as e:
                print("FAILED", path, str(e).replace("\n", " "))
        """;

    private static readonly Lazy<string?> Python = new(Find);

    /// <summary>Why the checker cannot run here, or null when it can.</summary>
    public static string? Unavailable => Python.Value is null
        ? Environment.GetEnvironmentVariable("DD_ONNX_CHECKER") == "required"
            ? throw new InvalidOperationException("DD_ONNX_CHECKER=required but no python3 here imports onnx: install Debian's python3-onnx.")
            : "Debian's python3-onnx is not installed (apt-get install python3-onnx): the ONNX checker cannot run."
        : null;

    /// <summary>The checker's verdict on each file: null when it passes, else its message.</summary>
    public static Dictionary<string, string?> Check(IReadOnlyCollection<string> paths)
    {
        string output = Run(Python.Value ?? throw new InvalidOperationException(Unavailable), new[] { "-c", Script }.Concat(paths), out int exit);
        if (exit != 0)
        {
            throw new InvalidOperationException($"The ONNX checker did not run (exit code {exit}).");
        }
        var verdicts = paths.ToDictionary(p => p, p => (string?)"the checker said nothing about it");
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = paths.FirstOrDefault(p => line.StartsWith("ok " + p, StringComparison.Ordinal) || line.StartsWith("FAILED " + p, StringComparison.Ordinal));
            if (path is not null)
            {
                verdicts[path] = line.StartsWith("ok ", StringComparison.Ordinal) ? null : line;
            }
        }
        return verdicts;
    }

    private static string? Find()
    {
        foreach (string python in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                Run(python, new[] { "-c", "import onnx" }, out int exit);
                if (exit == 0)
                {
                    return python;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not on this machine
            }
        }
        return null;
    }

    private static string Run(string python, IEnumerable<string> arguments, out int exit)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        exit = process.ExitCode;
        return output + error.Result;
    }
}
