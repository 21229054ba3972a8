using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Samples.CompressionStudy.Study;
using ScottPlot;

namespace Samples.CompressionStudy.Plots;

/// <summary>
/// The study's five figures, drawn with ScottPlot from the report's rows: every model's accuracy against its size,
/// what distillation changes, teacher against student, what int8 quantization changes, and what pruning changes.
/// Sizes are on a log scale (bytes); accuracies are test accuracies in per cent.
/// </summary>
public static class Figures
{
    private const int Width = 1100;
    private const int Height = 720;

    /// <summary>The lowest accuracy the size figure shows: below it, pruned models near chance would squash the rest.</summary>
    private const double AccuracyFloor = 80;
    private static readonly string[] FamilyOrder = { "MLP", "CNN", "ResNet" };

    /// <summary>Registers the bundled typeface, so that text renders on a machine without fonts.</summary>
    public static void UseBundledFont()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "Fonts");
        Fonts.AddFontFile("DejaVu Sans", Path.Combine(directory, "DejaVuSans.ttf"), bold: false, italic: false);
        Fonts.AddFontFile("DejaVu Sans", Path.Combine(directory, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
        Fonts.Default = "DejaVu Sans";
    }

    /// <summary>Writes the five PNG files into <paramref name="directory"/> and returns their file names with titles.</summary>
    public static IReadOnlyList<(string File, string Title)> WriteAll(IReadOnlyList<Row> rows, string directory) => new[]
    {
        Save(AccuracyAgainstSize(rows), directory, "accuracy-vs-size.png", "Accuracy against size, every model and variant"),
        Save(DistillationImpact(rows), directory, "distillation-impact.png", "What distillation changes"),
        Save(TeacherAgainstStudent(rows), directory, "teacher-vs-student.png", "Teacher against distilled student"),
        Save(QuantizationImpact(rows), directory, "quantization-impact.png", "What int8 quantization changes"),
        Save(PruningImpact(rows), directory, "pruning-impact.png", "What pruning changes"),
    };

    private static Plot AccuracyAgainstSize(IReadOnlyList<Row> rows)
    {
        var plot = new Plot();
        var markers = new Dictionary<Method, MarkerShape>
        {
            [Method.Trained] = MarkerShape.FilledCircle,
            [Method.Distilled] = MarkerShape.FilledDiamond,
            [Method.Quantized] = MarkerShape.FilledSquare,
            [Method.PrunedFineTuned] = MarkerShape.FilledTriangleUp,
        };
        // Pruned models before fine-tuning fall to chance at high sparsity; they are in the pruning figure.
        var shown = rows.Where(r => markers.ContainsKey(r.Method)).ToList();
        foreach (var (family, color) in Families())
        {
            foreach (var method in markers.Keys)
            {
                var points = shown.Where(r => r.Family == family && r.Method == method).ToList();
                if (points.Count == 0)
                {
                    continue;
                }
                var scatter = plot.Add.ScatterPoints(points.Select(r => Math.Log10(r.SizeInBytes)).ToArray(), points.Select(r => 100 * r.Accuracy).ToArray());
                scatter.Color = color;
                scatter.MarkerShape = markers[method];
                scatter.MarkerSize = 11;
                scatter.LegendText = $"{family}, {MethodName(method)}";
            }
            // Label the baselines and the distilled student; each variant sits left of its original, and the student
            // trained on labels alone (a circle) shares its distilled twin's size.
            foreach (var row in shown.Where(r => r.Family == family && (r.Method == Method.Distilled || (r.Method == Method.Trained && r.Tier != "Student"))))
            {
                Label(plot, Math.Log10(row.SizeInBytes), 100 * row.Accuracy, row.Method == Method.Distilled ? "student" : row.Tier, color);
            }
        }
        double floor = Math.Max(Math.Floor(shown.Min(r => 100 * r.Accuracy)) - 1, AccuracyFloor);
        plot.Title(shown.Any(r => 100 * r.Accuracy < floor)
            ? $"Test accuracy against size (pruned: after fine-tuning; below {floor:0} %: see the pruning figure)"
            : "Test accuracy against size (pruned models after fine-tuning)");
        plot.XLabel("Size (bytes, log scale)");
        plot.YLabel("Test accuracy (%)");
        LogBytesAxis(plot);
        plot.Axes.SetLimitsX(Math.Log10(shown.Min(r => r.SizeInBytes)) - 0.15, Math.Log10(shown.Max(r => r.SizeInBytes)) + 0.45);
        plot.Axes.SetLimitsY(floor, 100.5);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static Plot DistillationImpact(IReadOnlyList<Row> rows)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        var palette = new ScottPlot.Palettes.Category10();
        string[] series = { "Student, hard labels only", "Student, distilled", "Teacher (Deep baseline)" };
        for (int f = 0; f < FamilyOrder.Length; f++)
        {
            var family = FamilyOrder[f];
            var values = new[]
            {
                rows.FirstOrDefault(r => r.Family == family && r.Tier == "Student" && r.Method == Method.Trained),
                rows.FirstOrDefault(r => r.Family == family && r.Method == Method.Distilled),
                rows.FirstOrDefault(r => r.Family == family && r.Tier == "Deep" && r.Method == Method.Trained),
            };
            for (int s = 0; s < values.Length; s++)
            {
                if (values[s] is not { } row)
                {
                    continue;
                }
                bars.Add(new Bar
                {
                    Position = f * 4 + s,
                    Value = 100 * row.Accuracy,
                    FillColor = palette.GetColor(s),
                    Label = $"{100 * row.Accuracy:F1}",
                });
            }
            ticks.Add(new Tick(f * 4 + 1, family));
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 13;
        for (int s = 0; s < series.Length; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = palette.GetColor(s) });
        }
        return AccuracyBars(plot, bars, ticks, "Impact of distillation: the same student with and without its teacher");
    }

    private static Plot TeacherAgainstStudent(IReadOnlyList<Row> rows)
    {
        var plot = new Plot();
        foreach (var (family, color) in Families())
        {
            var teacher = rows.FirstOrDefault(r => r.Family == family && r.Tier == "Deep" && r.Method == Method.Trained);
            var student = rows.FirstOrDefault(r => r.Family == family && r.Method == Method.Distilled);
            if (teacher is null || student is null)
            {
                continue;
            }
            double[] xs = { Math.Log10(teacher.SizeInBytes), Math.Log10(student.SizeInBytes) };
            double[] ys = { 100 * teacher.Accuracy, 100 * student.Accuracy };
            var line = plot.Add.Scatter(xs, ys);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 12;
            line.LegendText = $"{family}: {(double)teacher.SizeInBytes / student.SizeInBytes:N0}× smaller, {100 * (teacher.Accuracy - student.Accuracy):F2} points less accurate";
            Label(plot, xs[0], ys[0], $"{family} teacher {100 * teacher.Accuracy:F1}%", color, Alignment.LowerRight);
            Label(plot, xs[1], ys[1], $"{family} student {100 * student.Accuracy:F1}% (agrees {100 * student.Agreement:F1}%)", color);
        }
        plot.Title("Teacher against its distilled student");
        plot.XLabel("Size (bytes, log scale)");
        plot.YLabel("Test accuracy (%)");
        LogBytesAxis(plot);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot QuantizationImpact(IReadOnlyList<Row> rows)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var originals = rows.Where(r => r.Method is Method.Trained && r.Tier != "Student" || r.Method == Method.Distilled).ToList();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < originals.Count; i++)
        {
            var original = originals[i];
            var quantized = rows.FirstOrDefault(r => r.Method == Method.Quantized && r.Model == original.Model && r.Reference != null
                && (original.Method == Method.Distilled) == r.Reference.EndsWith("(distilled)", StringComparison.Ordinal));
            bars.Add(new Bar { Position = i * 3, Value = 100 * original.Accuracy, FillColor = palette.GetColor(0) });
            if (quantized is not null)
            {
                bars.Add(new Bar
                {
                    Position = i * 3 + 1,
                    Value = 100 * quantized.Accuracy,
                    FillColor = palette.GetColor(1),
                    Label = $"{100.0 * quantized.SizeInBytes / original.SizeInBytes:F0}% size",
                });
            }
            ticks.Add(new Tick(i * 3 + 0.5, original.Method == Method.Distilled ? $"{original.Family}\nstudent KD" : $"{original.Family}\n{original.Tier}"));
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "float32", FillColor = palette.GetColor(0) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "int8 weights (label: size of float32)", FillColor = palette.GetColor(1) });
        return AccuracyBars(plot, bars, ticks, "Impact of int8 quantization (per-channel symmetric weights)");
    }

    /// <summary>The axes, title and legend of a bar chart of test accuracies, its range starting 10 points below the lowest bar.</summary>
    private static Plot AccuracyBars(Plot plot, List<Bar> bars, List<Tick> ticks, string title)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.SetLimitsY(Math.Max(0, bars.Min(b => b.Value) - 10), 100.5);
        plot.Title(title);
        plot.YLabel("Test accuracy (%)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static Plot PruningImpact(IReadOnlyList<Row> rows)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var baselines = rows.Where(r => r.Method == Method.Trained && r.Tier != "Student").ToList();
        for (int i = 0; i < baselines.Count; i++)
        {
            var baseline = baselines[i];
            var color = palette.GetColor(i);
            foreach (var (method, pattern) in new[] { (Method.Pruned, LinePattern.Dashed), (Method.PrunedFineTuned, LinePattern.Solid) })
            {
                var points = rows.Where(r => r.Model == baseline.Model && r.Method == method).OrderBy(r => r.Sparsity).ToList();
                double[] xs = new[] { 0.0 }.Concat(points.Select(r => 100 * r.Sparsity!.Value)).ToArray();
                double[] ys = new[] { 100 * baseline.Accuracy }.Concat(points.Select(r => 100 * r.Accuracy)).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.Color = color;
                line.LinePattern = pattern;
                line.LineWidth = 2;
                line.MarkerSize = 7;
                if (method == Method.PrunedFineTuned)
                {
                    line.LegendText = baseline.Model; // one entry per model; the title says what dashed means
                }
            }
        }
        plot.Title("Impact of magnitude pruning (dashed: pruned only; solid: fine-tuned under the mask)");
        plot.XLabel("Weights removed from every layer (%)");
        plot.YLabel("Test accuracy (%)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static IEnumerable<(string Family, Color Color)> Families()
    {
        var palette = new ScottPlot.Palettes.Category10();
        return FamilyOrder.Select((family, i) => (family, palette.GetColor(i)));
    }

    private static string MethodName(Method method) => method switch
    {
        Method.Trained => "trained",
        Method.Distilled => "distilled",
        Method.Quantized => "int8",
        Method.QuantizedOnnx => "int8 ONNX",
        Method.Pruned => "pruned",
        Method.PrunedFineTuned => "pruned + fine-tuned",
        _ => method.ToString(),
    };

    private static void Label(Plot plot, double x, double y, string text, Color color, Alignment alignment = Alignment.LowerLeft)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontSize = 12;
        label.LabelFontColor = color;
        label.LabelAlignment = alignment;
        label.OffsetX = alignment == Alignment.LowerRight ? -6 : 6;
        label.OffsetY = -4;
    }

    /// <summary>ScottPlot has no log axis: positions are log10(bytes), ticks at powers of ten labelled in bytes.</summary>
    private static void LogBytesAxis(Plot plot)
    {
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => Bytes(Math.Pow(10, exponent)),
        };
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Margins(0.08, 0.1);
    }

    private static string Bytes(double bytes) => bytes switch
    {
        >= 1e9 => $"{bytes / 1e9:0.#} GB",
        >= 1e6 => $"{bytes / 1e6:0.#} MB",
        >= 1e3 => $"{bytes / 1e3:0.#} kB",
        _ => $"{bytes:0} B",
    };

    private static (string File, string Title) Save(Plot plot, string directory, string file, string title)
    {
        string path = Path.Combine(directory, file);
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, Width, Height);
        File.Move(temporary, path, overwrite: true);
        return (file, title);
    }
}
