using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DeclarativeDistill;

/// <summary>
/// One way of running one network: its size on disk, its accuracy on the test set, its latency for one example and its
/// throughput in batches.
/// </summary>
/// <param name="Model">The network's class name.</param>
/// <param name="Runtime"><c>TorchSharp</c>, <c>ONNX Runtime, float32</c>, <c>ONNX Runtime, int8 weights</c>, <c>ONNX Runtime, dynamic int8</c> or <c>ONNX Runtime, static int8</c>.</param>
/// <param name="Bytes">The size of its file: TorchSharp's weights file, or the ONNX file.</param>
/// <param name="Accuracy">The fraction of the test set it classifies correctly.</param>
/// <param name="LatencyMedian">The median time to classify one example (batch 1).</param>
/// <param name="Latency99">The 99th percentile of that time.</param>
/// <param name="ExamplesPerSecond">Throughput classifying batches of <see cref="DeploymentReport.BatchSize"/>.</param>
public sealed record DeploymentRow(string Model, string Runtime, long Bytes, double Accuracy, TimeSpan LatencyMedian, TimeSpan Latency99, double ExamplesPerSecond);

/// <summary>What a network (and its teacher, side by side) costs and gives in each runtime it can be deployed with.</summary>
public sealed class DeploymentReport
{
    /// <summary>The batch size of the throughput measurements.</summary>
    public const int BatchSize = 64;

    internal DeploymentReport(IReadOnlyList<DeploymentRow> rows, int testCount, int requests)
    {
        Rows = rows;
        TestCount = testCount;
        Requests = requests;
    }

    /// <summary>Every network in every runtime, the teacher's rows first.</summary>
    public IReadOnlyList<DeploymentRow> Rows { get; }

    /// <summary>Examples the accuracies were measured on.</summary>
    public int TestCount { get; }

    /// <summary>Single-example requests each latency was measured over.</summary>
    public int Requests { get; }

    /// <summary>The report as a Markdown table.</summary>
    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Format(culture, "Accuracy on {0:N0} test examples; latency over {1:N0} single-example requests; throughput in batches of {2}.", TestCount, Requests, BatchSize));
        text.AppendLine();
        text.AppendLine("| Model | Runtime | Size | Accuracy | Latency p50 | Latency p99 | Examples/s |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in Rows)
        {
            text.AppendLine(string.Format(culture, "| {0} | {1} | {2} | {3:P2} | {4} | {5} | {6:N0} |",
                row.Model, row.Runtime, Size(row.Bytes), row.Accuracy, Time(row.LatencyMedian), Time(row.Latency99), row.ExamplesPerSecond));
        }
        return text.ToString();
    }

    private static string Size(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " kB";

    private static string Time(TimeSpan time) => time.TotalMilliseconds >= 1
        ? time.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms"
        : (time.TotalMilliseconds * 1000).ToString("F0", CultureInfo.InvariantCulture) + " µs";
}
