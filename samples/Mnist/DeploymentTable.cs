using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DeclarativeDistill;
using Spectre.Console;

namespace Samples.Mnist;

/// <summary>With <c>--deploy</c>: every model in every runtime, its test errors computed by the runtime that runs the file.</summary>
public static class DeploymentTable
{
    public static void Write(IReadOnlyList<Result> results, int testCount)
    {
        var table = new Table()
            .Title($"Deployment: each model in TorchSharp and as ONNX files in ONNX Runtime ({testCount:N0} test images; latency over 200 single-image requests)")
            .AddColumn("Model")
            .AddColumn("Runtime")
            .AddColumn(new TableColumn("Size").RightAligned())
            .AddColumn(new TableColumn("Test errors").RightAligned())
            .AddColumn(new TableColumn("Latency p50").RightAligned())
            .AddColumn(new TableColumn("Latency p99").RightAligned())
            .AddColumn(new TableColumn($"Images/s (batch {DeploymentReport.BatchSize})").RightAligned());
        foreach (var result in results.Where(r => r.Deployment is not null))
        {
            foreach (var row in result.Deployment!.Rows)
            {
                table.AddRow(
                    Markup.Escape(Short(result.Model)),
                    Markup.Escape(row.Runtime),
                    row.Bytes >= 1 << 20 ? (row.Bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) + " MB" : (row.Bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " kB",
                    ((int)System.Math.Round((1 - row.Accuracy) * testCount)).ToString(CultureInfo.InvariantCulture),
                    Microseconds(row.LatencyMedian.TotalSeconds),
                    Microseconds(row.Latency99.TotalSeconds),
                    row.ExamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
            }
        }
        AnsiConsole.Write(table);
    }

    /// <summary>The model's row name without its conv architecture and training details: "Conv student, hard labels".</summary>
    private static string Short(string model) =>
        Regex.Replace(Regex.Replace(model, @" 1x28x28, .*?, 10(?=,|$)", ""), @", dropout, ±\d+ px jitter$", "");

    private static string Microseconds(double seconds) => seconds >= 1e-3
        ? (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture) + " ms"
        : (seconds * 1e6).ToString("F0", CultureInfo.InvariantCulture) + " µs";
}
