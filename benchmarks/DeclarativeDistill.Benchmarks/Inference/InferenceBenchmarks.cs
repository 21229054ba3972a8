using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclarativeDistill.Benchmarks.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Benchmarks.Inference;

/// <summary>
/// What distillation buys at inference: each teacher against its student, in TorchSharp and in ONNX Runtime
/// (float32 and int8 weights), at batch 1 (one request) and batch 64. Every configuration of one model pair is
/// measured in turn within each repetition (A B C ... A B C ...), and medians are reported, so the machine's noise
/// hits all alike. ONNX Runtime runs without spinning threads (see below); otherwise its defaults. Times are per batch; ratios compare within this run.
/// </summary>
internal static class InferenceBenchmarks
{
    private static readonly int[] Batches = { 1, 64 };

    public static void Run(int repetitions)
    {
        string directory = Directory.CreateTempSubdirectory("dd-inference-").FullName;
        try
        {
            Console.WriteLine($"Inference benchmarks: {Environment.ProcessorCount} cores, {get_num_threads()} TorchSharp threads, ONNX Runtime without spinning, "
                + $"{repetitions} repetitions, medians of the time per batch.");
            Console.WriteLine();
            Console.WriteLine("| Model | Runtime | Batch | Time per batch | Teacher ÷ student | TorchSharp ÷ this |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            manual_seed(1);
            using (var teacher = new BenchTeacher())
            using (var student = new SmallBenchStudent())
            {
                Compare("MLP", "784-1200-1200-10", teacher, (p, w) => teacher.ExportOnnx(p, w), "784-64-10", student, (p, w) => student.ExportOnnx(p, w),
                    BenchTeacher.InputSize, directory, repetitions);
            }
            using (var teacher = new BenchConvTeacher())
            using (var student = new BenchConvStudent())
            {
                Compare("Conv", "conv teacher (32, 64 channels)", teacher, (p, w) => teacher.ExportOnnx(p, w), "conv student (16, 32 channels)", student,
                    (p, w) => student.ExportOnnx(p, w), BenchConvTeacher.InputSize, directory, repetitions);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Compare(string family, string teacherName, Model teacher, Action<string, OnnxWeights> exportTeacher,
        string studentName, Model student, Action<string, OnnxWeights> exportStudent, int inputSize, string directory, int repetitions)
    {
        teacher.eval();
        student.eval();
        var runners = new List<(string Model, string Runtime, Func<int, double> Time, IDisposable? Owner)>();
        foreach (var (name, model, export) in new[] { (teacherName, teacher, exportTeacher), (studentName, student, exportStudent) })
        {
            runners.Add((name, "TorchSharp", batch => TimeTorch(model, inputSize, batch), null));
            foreach (var weights in new[] { OnnxWeights.Float32, OnnxWeights.Int8, OnnxWeights.DynamicInt8 })
            {
                string path = Path.Combine(directory, $"{family}-{name.GetHashCode():x}-{weights}.onnx");
                export(path, weights);
                // ONNX Runtime's threads spin after each run by default, which on 2 cores steals the CPU from TorchSharp
                // when the two alternate; without spinning each runtime gets the machine to itself.
                using var sessionOptions = new SessionOptions();
                sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                var session = new InferenceSession(path, sessionOptions);
                string runtime = weights switch
                {
                    OnnxWeights.Float32 => "ONNX Runtime, float32",
                    OnnxWeights.Int8 => "ONNX Runtime, int8 weights",
                    _ => "ONNX Runtime, dynamic int8",
                };
                runners.Add((name, runtime, batch => TimeOnnx(session, inputSize, batch), session));
            }
        }
        try
        {
            foreach (int batch in Batches)
            {
                var samples = runners.Select(_ => new List<double>()).ToArray();
                for (int repetition = 0; repetition < repetitions; repetition++)
                {
                    for (int r = 0; r < runners.Count; r++)
                    {
                        samples[r].Add(runners[r].Time(batch));
                    }
                }
                double[] medians = samples.Select(Median).ToArray();
                int perModel = runners.Count / 2;
                for (int r = 0; r < runners.Count; r++)
                {
                    bool isTeacher = r < perModel;
                    string teacherOverStudent = isTeacher ? "" : Ratio(medians[r - perModel] / medians[r]);
                    string torchOverThis = runners[r].Runtime == "TorchSharp" ? "" : Ratio(medians[isTeacher ? 0 : perModel] / medians[r]);
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {runners[r].Model} | {runners[r].Runtime} | {batch} | {Microseconds(medians[r])} | {teacherOverStudent} | {torchOverThis} |"));
                }
            }
        }
        finally
        {
            foreach (var runner in runners)
            {
                runner.Owner?.Dispose();
            }
        }
    }

    /// <summary>Seconds per batch in TorchSharp (evaluation mode, no gradients), averaged over enough calls to last about 50 ms.</summary>
    private static double TimeTorch(Model model, int inputSize, int batch)
    {
        using var _ = no_grad();
        using var input = randn(batch, inputSize);
        return Time(() =>
        {
            using var logits = model.call(input);
        });
    }

    private static double TimeOnnx(InferenceSession session, int inputSize, int batch)
    {
        var random = new Random(1);
        var values = Enumerable.Range(0, batch * inputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(values, new[] { batch, inputSize })) };
        return Time(() =>
        {
            using var results = session.Run(inputs);
        });
    }

    private static double Time(Action call)
    {
        call(); // warm
        int calls = 1;
        var clock = Stopwatch.StartNew();
        call();
        double one = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        calls = Math.Clamp((int)(0.05 / one), 1, 10_000);
        clock.Restart();
        for (int i = 0; i < calls; i++)
        {
            call();
        }
        return clock.Elapsed.TotalSeconds / calls;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Microseconds(double seconds) => seconds >= 1e-3
        ? (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture) + " ms"
        : (seconds * 1e6).ToString("F0", CultureInfo.InvariantCulture) + " µs";

    private static string Ratio(double ratio) => ratio.ToString("F1", CultureInfo.InvariantCulture) + "×";
}
