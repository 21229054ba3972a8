using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Samples.CompressionStudy.Study;

/// <summary>Writes <c>report.md</c>: the setting, every model in one table, the findings in numbers, and the figures.</summary>
public static class Report
{
    public static string Write(string directory, IReadOnlyList<Row> rows, string setting, IReadOnlyList<(string File, string Title)> figures)
    {
        var text = new StringBuilder();
        text.AppendLine("# Compression study: distillation, int8 quantization and pruning").AppendLine();
        text.AppendLine(setting).AppendLine();

        text.AppendLine("## Findings").AppendLine();
        foreach (string finding in Findings(rows))
        {
            text.AppendLine("- " + finding);
        }
        text.AppendLine();

        text.AppendLine("## Every model").AppendLine();
        text.AppendLine("Size: bytes of the parameters and buffers as stored (float32; int8 weights with a float32 scale per output channel; ")
            .AppendLine("pruned weights as a bitmap of the kept entries plus their float32 values; for int8 ONNX rows, the file, whose accuracy is ONNX Runtime's). Multiply-adds: dense, per example. ")
            .AppendLine("Agreement and KL(reference ‖ model), at T = 1 on the test set, compare a student with its teacher and a compressed model with its original.")
            .AppendLine();
        text.AppendLine("| Model | Family | Variant | Size (bytes) | Parameters | Non-zero | Multiply-adds | Accuracy | Errors | Reference | Agreement | KL | Training time |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            text.AppendLine(FormattableString.Invariant(
                $"| {row.Model} | {row.Family} | {row.Variant} | {row.SizeInBytes:N0} | {row.Parameters:N0} | {row.NonZeroParameters:N0} | {row.MultiplyAdds:N0} | {row.Accuracy:P2} | {row.Errors} | {row.Reference ?? "—"} | {(row.Agreement is { } a ? a.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "—")} | {(row.KL is { } kl ? kl.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "—")} | {row.TrainingTime.TotalSeconds:F1} s |"));
        }
        text.AppendLine();

        text.AppendLine("## Figures").AppendLine();
        foreach (var (file, title) in figures)
        {
            text.AppendLine($"### {title}").AppendLine().AppendLine($"![{title}]({file})").AppendLine();
        }

        string path = Path.Combine(directory, "report.md");
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>A difference of accuracies (0..1) in percentage points with its sign: "+0.35", "−1.20", "±0.00".</summary>
    private static string Points(double difference)
    {
        double points = Math.Round(100 * difference, 2);
        return points == 0 ? "±0.00" : points.ToString("+0.00;−0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The source's three claims, each checked against this run's numbers.</summary>
    public static IEnumerable<string> Findings(IReadOnlyList<Row> rows)
    {
        var byModel = rows.Where(r => r.Method is Method.Trained or Method.Distilled).ToList();
        Row Original(Row compressed) => byModel.First(r => r.Model == compressed.Model
            && (r.Method == Method.Distilled) == (compressed.Reference?.EndsWith("(distilled)", StringComparison.Ordinal) ?? false));

        var quantized = rows.Where(r => r.Method == Method.Quantized).Select(r => (Row: r, Original: Original(r))).ToList();
        if (quantized.Count > 0)
        {
            double sizeRatio = quantized.Average(q => (double)q.Row.SizeInBytes / q.Original.SizeInBytes);
            var worst = quantized.MaxBy(q => q.Original.Accuracy - q.Row.Accuracy);
            double meanChange = quantized.Average(q => q.Row.Accuracy - q.Original.Accuracy);
            yield return FormattableString.Invariant(
                $"**Quantization keeps accuracy at about a quarter of the size: {(Math.Abs(worst.Original.Accuracy - worst.Row.Accuracy) < 0.005 ? "confirmed" : "not confirmed")}.** int8 models are {sizeRatio:P1} of their float32 size on average; accuracy changes by {Points(meanChange)} points on average, at worst {Points(worst.Row.Accuracy - worst.Original.Accuracy)} ({worst.Row.Model}). They agree with their originals on {quantized.Average(q => q.Row.Agreement ?? 0):P2} of test images.");
        }

        var files = rows.Where(r => r.Method == Method.QuantizedOnnx).Select(r => (Row: r, Original: Original(r))).ToList();
        if (files.Count > 0)
        {
            var worst = files.MaxBy(q => q.Original.Accuracy - q.Row.Accuracy);
            double drop = worst.Original.Accuracy - worst.Row.Accuracy;
            yield return FormattableString.Invariant(
                $"**Static int8 ONNX files keep accuracy within 0.5 points: {(drop <= 0.005 ? "confirmed" : "not confirmed")}.** Run by ONNX Runtime with activations quantized as calibrated on the training set, {files.Count} files change accuracy by {Points(files.Average(q => q.Row.Accuracy - q.Original.Accuracy))} points on average, at worst {Points(-drop)} ({worst.Row.Model}), at {files.Average(q => (double)q.Row.SizeInBytes / q.Original.SizeInBytes):P1} of the float32 size on average.");
        }

        var pruned = rows.Where(r => r.Method is Method.Pruned or Method.PrunedFineTuned).Select(r => (Row: r, Original: Original(r))).ToList();
        if (pruned.Count > 0)
        {
            var lines = pruned.GroupBy(p => p.Row.Sparsity!.Value).OrderBy(g => g.Key).Select(g =>
            {
                double Drop(Method method) => g.Where(p => p.Row.Method == method).Average(p => p.Original.Accuracy - p.Row.Accuracy);
                double Worst(Method method) => g.Where(p => p.Row.Method == method).Max(p => p.Original.Accuracy - p.Row.Accuracy);
                double size = g.Where(p => p.Row.Method == Method.Pruned).Average(p => (double)p.Row.SizeInBytes / p.Original.SizeInBytes);
                return FormattableString.Invariant(
                    $"{g.Key:P0} removed: {size:P0} of the size, accuracy {Points(-Drop(Method.Pruned))} points on average (worst {Points(-Worst(Method.Pruned))}) pruned only, {Points(-Drop(Method.PrunedFineTuned))} (worst {Points(-Worst(Method.PrunedFineTuned))}) after fine-tuning");
            }).ToList();
            double highest = pruned.Max(p => p.Row.Sparsity!.Value);
            double worstUntuned = pruned.Where(p => p.Row.Sparsity == highest && p.Row.Method == Method.Pruned).Max(p => p.Original.Accuracy - p.Row.Accuracy);
            yield return FormattableString.Invariant(
                $"**Pruning as the source did it (no fine-tuning) loses a lot of accuracy: {(worstUntuned > 0.05 ? "confirmed at high sparsity" : "not confirmed")}.** ") + string.Join("; ", lines) + ".";
        }

        foreach (var student in rows.Where(r => r.Method == Method.Distilled))
        {
            var teacher = rows.First(r => r.Model == student.Reference && r.Method == Method.Trained);
            var alone = rows.First(r => r.Model == student.Model && r.Method == Method.Trained);
            yield return FormattableString.Invariant(
                $"**{student.Family}: distillation compresses {(double)teacher.Parameters / student.Parameters:N0}× in parameters, {(double)teacher.MultiplyAdds / student.MultiplyAdds:N0}× in multiply-adds.** Teacher {teacher.Model} {teacher.Accuracy:P2}; student {alone.Accuracy:P2} on labels alone, {student.Accuracy:P2} distilled ({Points(student.Accuracy - alone.Accuracy)} points); it agrees with its teacher on {student.Agreement:P2} of test images (KL {student.KL:F4} nats).");
        }
    }
}
