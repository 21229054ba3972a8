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
/// (float32, int8 weights, dynamic int8 and static int8 calibrated on the MNIST sample), at batch 1 (one request) and batch 64. Every configuration of one model pair is
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
            Console.WriteLine("| Model | Runtime | Batch | Time per batch | Teacher ÷ student | TorchSharp ÷ this | ONNX float32 ÷ this |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            manual_seed(1);
            var (train, test) = Datasets.MnistSample();
            test.Dispose();
            using var calibration = train;
            using (var teacher = new BenchTeacher())
            using (var student = new SmallBenchStudent())
            {
                Compare("784-1200-1200-10", teacher, "784-64-10", student, BenchTeacher.InputSize, calibration, directory, repetitions);
            }
            using (var teacher = new BenchConvTeacher())
            using (var student = new BenchConvStudent())
            {
                Compare("conv teacher (32, 64 channels)", teacher, "conv student (16, 32 channels)", student, BenchConvTeacher.InputSize, calibration, directory, repetitions);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Compare<TTeacher, TStudent>(string teacherName, TTeacher teacher, string studentName, TStudent student, int inputSize,
        DataSource calibration, string directory, int repetitions)
        where TTeacher : Model, IGeneratedNetwork
        where TStudent : Model, IGeneratedNetwork
    {
        teacher.eval();
        student.eval();
        var runners = new List<(string Model, string Runtime, Func<int, double> Time, IDisposable? Owner)>();
        foreach (var (name, model, network) in new[] { (teacherName, (Model)teacher, (IGeneratedNetwork)teacher), (studentName, student, student) })
        {
            runners.Add((name, "TorchSharp", batch => TimeTorch(model, inputSize, batch), null));
            var exports = new (string Runtime, Action<string> Export)[]
            {
                ("ONNX Runtime, float32", path => network.ExportOnnx(path, OnnxWeights.Float32)),
                ("ONNX Runtime, int8 weights", path => network.ExportOnnx(path, OnnxWeights.Int8)),
                ("ONNX Runtime, dynamic int8", path => network.ExportOnnx(path, OnnxWeights.DynamicInt8)),
                ("ONNX Runtime, static int8", path => network.ExportOnnx(path, new Calibration(calibration))),
            };
            foreach (var (runtime, export) in exports)
            {
                string path = Path.Combine(directory, $"{runners.Count}.onnx");
                export(path);
                // ONNX Runtime's threads spin after each run by default, which on 2 cores steals the CPU from TorchSharp
                // when the two alternate; without spinning each runtime gets the machine to itself.
                using var sessionOptions = new SessionOptions();
                sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                var session = new InferenceSession(path, sessionOptions);
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
                    string floatOverThis = runners[r].Runtime.Contains("int8", StringComparison.Ordinal) ? Ratio(medians[(isTeacher ? 0 : perModel) + 1] / medians[r]) : "";
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {runners[r].Model} | {runners[r].Runtime} | {batch} | {Microseconds(medians[r])} | {teacherOverStudent} | {torchOverThis} | {floatOverThis} |"));
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

    private static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "×";
}
