using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using DeclarativeDistill.Benchmarks.Training;
using SkiaSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill.Benchmarks.Data;

/// <summary>
/// Data read from disk against the same data in memory, side by side in one run (A B A B ..., medians): a streamed
/// epoch from a memory-mapped .npy file against the in-memory epoch, an epoch decoding PNG files with read-ahead
/// against pre-decoded images, and the memory a streamed epoch takes over data many times its budget. Data: the
/// embedded 8,000 MNIST digits, written out as files first.
/// </summary>
internal static class DataBenchmarks
{
    private const int BatchSize = 128;

    public static void Run(int repetitions)
    {
        string directory = Path.Combine(Path.GetTempPath(), "dd-data-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var (train, test) = Datasets.MnistSample();
            test.Dispose();
            using (train)
            {
                Console.WriteLine($"Data benchmarks: {Environment.ProcessorCount} cores, {get_num_threads()} TorchSharp threads, "
                    + $"{train.Count} examples, batch {BatchSize}, {repetitions} repetitions, medians.");
                Console.WriteLine();
                Console.WriteLine("| Measurement | Value | Target |");
                Console.WriteLine("|---|---:|---:|");
                StreamedAgainstInMemory(train, directory, repetitions);
                DecodedAgainstPreDecoded(train, directory, repetitions);
                MemoryOfAStreamedEpoch(train, directory);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A Fit epoch of the 784-800-800-10 student from a memory-mapped .npy file against the same epoch in memory.</summary>
    private static void StreamedAgainstInMemory(LabeledDataset train, string directory, int repetitions)
    {
        string features = Path.Combine(directory, "x.npy"), labels = Path.Combine(directory, "y.npy");
        WriteNpy(features, train.Features.data<float>().ToArray(), train.Count, train.FeatureSize);
        WriteNpy(labels, train.Labels.data<long>().ToArray(), train.Count);
        using var onDisk = Datasets.OpenNumPy(features, labels);
        var options = new TrainingOptions { Epochs = 1, BatchSize = BatchSize, LearningRate = 0.01, Schedule = LearningRateSchedule.Constant };
        var oneWorker = options with { DataWorkers = 1 };
        var (memory, streamed, streamedByOne) = Alternate(repetitions,
            () => Epoch(() => new BenchStudent(), s => s.Fit(train, options)),
            () => Epoch(() => new BenchStudent(), s => s.Fit(onDisk, options)),
            () => Epoch(() => new BenchStudent(), s => s.Fit(onDisk, oneWorker)));
        Row($"Fit epoch, 784-800-800-10: memory-mapped .npy ({options.DataWorkers} workers) ÷ in memory", Ratio(streamed / memory), "≤ 1.15×");
        Row("Fit epoch, 784-800-800-10: memory-mapped .npy (1 worker) ÷ in memory", Ratio(streamedByOne / memory), "≤ 1.15×");
        Row("  (in-memory epoch)", Seconds(memory), "");
    }

    /// <summary>A Fit epoch of the conv student decoding a PNG folder with read-ahead against pre-decoded images.</summary>
    private static void DecodedAgainstPreDecoded(LabeledDataset train, string directory, int repetitions)
    {
        string folder = Path.Combine(directory, "png");
        WritePngFolder(folder, train);
        using var onDisk = Datasets.OpenImageFolder(folder, "1x28x28");
        using var decoded = Datasets.FromImageFolder(folder, "1x28x28");
        var options = new TrainingOptions { Epochs = 1, BatchSize = BatchSize, LearningRate = 0.01, Schedule = LearningRateSchedule.Constant };
        var (memory, streamed) = Alternate(repetitions,
            () => Epoch(() => new BenchConvStudent(), s => s.Fit(decoded, options)),
            () => Epoch(() => new BenchConvStudent(), s => s.Fit(onDisk, options)));
        Row($"Fit epoch, conv student: PNG decoded with read-ahead ({options.DataWorkers} workers) ÷ pre-decoded", Ratio(streamed / memory), "≤ 1.2×");
        Row("  (pre-decoded epoch)", Seconds(memory), "");
    }

    /// <summary>The growth of the process's anonymous memory during a streamed epoch over data six times its budget.</summary>
    private static void MemoryOfAStreamedEpoch(LabeledDataset train, string directory)
    {
        const int copies = 4;
        const long budget = 16L << 20;
        string features = Path.Combine(directory, "big-x.npy"), labels = Path.Combine(directory, "big-y.npy");
        var values = train.Features.data<float>().ToArray();
        var labelValues = train.Labels.data<long>().ToArray();
        WriteNpy(features, Enumerable.Repeat(values, copies).SelectMany(v => v).ToArray(), train.Count * copies, train.FeatureSize);
        WriteNpy(labels, Enumerable.Repeat(labelValues, copies).SelectMany(v => v).ToArray(), train.Count * copies);
        long dataBytes = new FileInfo(features).Length;
        values = null!;
        labelValues = null!;

        using var onDisk = Datasets.OpenNumPy(features, labels);
        var options = new TrainingOptions { Epochs = 1, BatchSize = BatchSize, LearningRate = 0.01, MemoryBudgetBytes = budget };
        Epoch(() => new SmallBenchStudent(), s => s.Fit(onDisk, options)); // libtorch's and the JIT's first allocations
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long before = AnonymousBytes();
        long peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, AnonymousBytes());
                Thread.Sleep(2);
            }
        });
        sampler.Start();
        Epoch(() => new SmallBenchStudent(), s => s.Fit(onDisk, options with { Epochs = 2 }));
        stop.Cancel();
        sampler.Join();
        Row($"Two streamed epochs over {Megabytes(dataBytes)} of .npy ({dataBytes / (double)budget:F1}× the budget), after one: growth of anonymous memory (RssAnon)",
            Megabytes(peak - before), $"≤ {Megabytes(budget)} budget");
        Row("  (the process's anonymous memory at its peak: runtime, libtorch, model; the mapped file is not in it)", Megabytes(peak), "");
    }

    /// <summary>The medians of <paramref name="first"/> and <paramref name="second"/>, run in turn.</summary>
    private static (double First, double Second) Alternate(int repetitions, Func<double> first, Func<double> second)
    {
        var medians = Alternate(repetitions, new[] { first, second });
        return (medians[0], medians[1]);
    }

    /// <summary>The medians of three measurements, run in turn.</summary>
    private static (double First, double Second, double Third) Alternate(int repetitions, Func<double> first, Func<double> second, Func<double> third)
    {
        var medians = Alternate(repetitions, new[] { first, second, third });
        return (medians[0], medians[1], medians[2]);
    }

    /// <summary>Each measurement once to warm up (JIT, libtorch, the page cache), then all in turn; their medians.</summary>
    private static double[] Alternate(int repetitions, Func<double>[] measurements)
    {
        foreach (var measure in measurements)
        {
            measure();
        }
        var times = measurements.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < repetitions; i++)
        {
            for (int m = 0; m < measurements.Length; m++)
            {
                times[m].Add(measurements[m]());
            }
        }
        return times.Select(Median).ToArray();
    }

    private static double Epoch<T>(Func<T> create, Action<T> train)
        where T : IDisposable
    {
        manual_seed(1);
        using var model = create();
        var clock = Stopwatch.StartNew();
        train(model);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>RssAnon of /proc/self/status: the process's memory that is not a mapped file (the mapped .npy is not counted).</summary>
    private static long AnonymousBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("/proc/self/status has no RssAnon line (not Linux?).");
    }

    /// <summary>A version 1.0 .npy file of float32 [count, width] or int64 [count].</summary>
    private static void WriteNpy<T>(string path, T[] values, int count, int? width = null)
        where T : unmanaged
    {
        string type = typeof(T) == typeof(float) ? "<f4" : "<i8";
        string shape = width is { } w ? $"({count}, {w})" : $"({count},)";
        string header = $"{{'descr': '{type}', 'fortran_order': False, 'shape': {shape}, }}";
        int padding = 64 - (10 + header.Length + 1) % 64;
        header = header + new string(' ', padding % 64) + "\n";
        using var file = File.Create(path);
        file.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        file.Write(BitConverter.GetBytes((ushort)header.Length));
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>The images as 8-bit grayscale PNG files in one folder per label.</summary>
    private static void WritePngFolder(string folder, LabeledDataset data)
    {
        var pixels = data.Features.data<float>().ToArray();
        var labels = data.Labels.data<long>().ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            string classFolder = Path.Combine(folder, labels[i].ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(classFolder);
            using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
            var bytes = bitmap.GetPixelSpan();
            for (int p = 0; p < 784; p++)
            {
                // The sample's pixels are bytes / 255: round back to the byte.
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(bytes)[p] = (byte)Math.Round(pixels[i * 784 + p] * 255);
            }
            using var image = SKImage.FromBitmap(bitmap);
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(classFolder, $"{i:D5}.png"), png.ToArray());
        }
    }

    private static void Row(string what, string value, string target) => Console.WriteLine($"| {what} | {value} | {target} |");

    private static string Ratio(double value) => value.ToString("F3", CultureInfo.InvariantCulture) + "×";

    private static string Seconds(double value) => value.ToString("F3", CultureInfo.InvariantCulture) + " s";

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
