using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace DeclarativeDistill.Benchmarks;

/// <summary>
/// The one-declaration edit of <see cref="GeneratorBenchmarks"/> against its floor and the generator's transforms alone,
/// interleaved: each round times a block of edits of each, in turn, so that a machine that speeds up or slows down over
/// the run (this one is shared) shifts all three alike. Reports the medians of the rounds and their ratios.
/// BenchmarkDotNet measures one method after another, minutes apart, which on a shared machine moved the ratio between
/// 1.17× and 1.55× from run to run.
/// </summary>
internal static class InterleavedEditBenchmark
{
    public static void Run(int rounds)
    {
        const int EditsPerBlock = 20;
        Console.WriteLine($"Generator edit, interleaved: {rounds} rounds of {EditsPerBlock} edits each, medians (ms per edit).");
        Console.WriteLine();
        Console.WriteLine("| Declarations | Edit | Floor | Transforms only | Edit ÷ floor | Transforms only ÷ floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (string architectures in new[] { "mlp", "conv" })
        {
            var benchmarks = new GeneratorBenchmarks { Architectures = architectures };
            benchmarks.Setup();
            var measured = new Dictionary<string, Func<object>>
            {
                ["edit"] = benchmarks.OneDeclarationEdit,
                ["floor"] = benchmarks.OneDeclarationEditFloor,
                ["transforms"] = benchmarks.OneDeclarationEditTransformsOnly,
            };
            foreach (var run in measured.Values)
            {
                for (int i = 0; i < 5 * EditsPerBlock; i++)
                {
                    run(); // warm-up: JIT and the drivers' first incremental runs
                }
            }
            var times = measured.Keys.ToDictionary(k => k, _ => new List<double>());
            for (int round = 0; round < rounds; round++)
            {
                foreach (var (name, run) in measured)
                {
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < EditsPerBlock; i++)
                    {
                        run();
                    }
                    times[name].Add(clock.Elapsed.TotalMilliseconds / EditsPerBlock);
                }
            }
            double edit = Median(times["edit"]), floor = Median(times["floor"]), transforms = Median(times["transforms"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {architectures} | {edit:F1} | {floor:F1} | {transforms:F1} | {edit / floor:F2}× | {transforms / floor:F2}× |"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
