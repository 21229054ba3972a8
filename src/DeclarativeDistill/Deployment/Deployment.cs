using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// Measures what deploying a student costs and gives, beside its teacher: each network in TorchSharp and exported to ONNX
/// (float32, int8 weights, dynamic int8, and static int8 calibrated on a calibration set when one is given) and run by
/// ONNX Runtime (a text network's file reads token ids and the attention mask they imply), with the size of each file, its accuracy on a test set
/// (computed by the runtime that would serve it, so an int8 file's accuracy is the int8 file's), the median and 99th
/// percentile latency of one example, and the throughput in batches of 64. Needs ONNX Runtime's native library in the
/// application (the <c>Microsoft.ML.OnnxRuntime</c> package).
/// </summary>
public static class Deployment
{
    /// <param name="student">The network to deploy.</param>
    /// <param name="test">Labelled examples of its input shape.</param>
    /// <param name="teacher">Its teacher, measured the same way for comparison; none by default.</param>
    /// <param name="requests">Single-example requests per latency measurement (after as many to warm up).</param>
    /// <param name="calibration">
    /// How to calibrate a static int8 file of each network (<c>new Calibration(train)</c>): its rows are added when given.
    /// </param>
    /// <exception cref="ArgumentException">The test set has no labels, or does not fit the networks.</exception>
    public static DeploymentReport Measure(IGeneratedNetwork student, DataSource test, IGeneratedNetwork? teacher = null, int requests = 200, Calibration? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(test);
        Trainer.CheckLabelled(test, "accuracy is measured against them");

        if (requests < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(requests), $"At least one request is needed; got {requests}.");
        }
        using var data = test.ToMemory();
        using var features = data.Features.reshape(data.Count, -1).contiguous();
        float[] values = features.data<float>().ToArray();
        long[] labels = data.Labels.data<long>().ToArray();
        string directory = Directory.CreateTempSubdirectory("dd-deployment-").FullName;
        try
        {
            var rows = new List<DeploymentRow>();
            foreach (var network in teacher is null ? new IGeneratedNetwork[] { student } : new[] { teacher, student })
            {
                rows.AddRange(Rows(network, data, values, labels, directory, requests, calibration));
            }
            return new DeploymentReport(rows, data.Count, requests);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IEnumerable<DeploymentRow> Rows(IGeneratedNetwork network, LabeledDataset data, float[] values, long[] labels, string directory, int requests, Calibration? calibration)
    {
        var model = (Model)network;
        string name = model.GetName();
        int size = network.Description.Input.Size;
        string weights = Path.Combine(directory, name + ".bin");
        network.Save(weights);
        double accuracy = network.Evaluate(data).Accuracy;
        var examples = new Cycle(values, size);
        var torch = Timings(requests, batch => Torch(model, examples.Take(batch), batch, size));
        yield return new DeploymentRow(name, "TorchSharp", new FileInfo(weights).Length, accuracy, torch.Median, torch.P99, torch.Throughput);

        var exports = new List<(string Runtime, Action<string> Export)>
        {
            ("ONNX Runtime, float32", path => network.ExportOnnx(path, OnnxWeights.Float32)),
            ("ONNX Runtime, int8 weights", path => network.ExportOnnx(path, OnnxWeights.Int8)),
            ("ONNX Runtime, dynamic int8", path => network.ExportOnnx(path, OnnxWeights.DynamicInt8)),
        };
        bool tokens = network.Description.Input.IsTokens;
        if (calibration is not null)
        {
            exports.Add(("ONNX Runtime, static int8", path => network.ExportOnnx(path, calibration)));
        }
        for (int form = 0; form < exports.Count; form++)
        {
            var (runtime, export) = exports[form];
            string path = Path.Combine(directory, $"{name}-{form}.onnx");
            export(path);
            using var options = NewSessionOptions();
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); // no spinning threads between requests
            using var session = new InferenceSession(path, options);
            double onnxAccuracy = OnnxAccuracy(session, values, labels, size, tokens);
            var onnx = Timings(requests, batch => Onnx(session, examples.Take(batch), batch, size, tokens));
            yield return new DeploymentRow(name, runtime, new FileInfo(path).Length, onnxAccuracy, onnx.Median, onnx.P99, onnx.Throughput);
        }
    }

    /// <summary>ONNX Runtime's session options, or what to add when its native library is missing.</summary>
    private static SessionOptions NewSessionOptions()
    {
        try
        {
            return new SessionOptions();
        }
        catch (TypeInitializationException e) when (e.InnerException is DllNotFoundException)
        {
            throw new InvalidOperationException(
                "Deployment.Measure runs the exported files in ONNX Runtime, whose native library is missing: add the Microsoft.ML.OnnxRuntime package to the application.", e);
        }
    }

    /// <summary>Latency of single examples (cycling through the test set) and throughput of batches of 64, each after a warm-up.</summary>
    private static (TimeSpan Median, TimeSpan P99, double Throughput) Timings(int requests, Action<int> classify)
    {
        for (int i = 0; i < Math.Min(requests, 20); i++)
        {
            classify(1);
        }
        var latencies = new double[requests];
        for (int i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            classify(1);
            latencies[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(latencies);
        classify(DeploymentReport.BatchSize);
        int batches = Math.Max(5, requests / 10);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < batches; i++)
        {
            classify(DeploymentReport.BatchSize);
        }
        double throughput = batches * DeploymentReport.BatchSize / total.Elapsed.TotalSeconds;
        return (TimeSpan.FromSeconds(latencies[latencies.Length / 2]), TimeSpan.FromSeconds(latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(0.99 * latencies.Length) - 1)]), throughput);
    }

    /// <summary>The test set's examples as flat rows, handed out a batch at a time, cycling.</summary>
    private sealed class Cycle
    {
        private readonly float[] values;
        private readonly int size;
        private int next;

        public Cycle(float[] values, int size)
        {
            this.values = values;
            this.size = size;
        }

        public float[] Take(int batch)
        {
            int count = values.Length / size;
            var rows = new float[batch * size];
            for (int i = 0; i < batch; i++)
            {
                values.AsSpan(next++ % count * size, size).CopyTo(rows.AsSpan(i * size, size));
            }
            return rows;
        }
    }

    private static void Torch(Model model, float[] rows, int batch, int size)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        model.call(tensor(rows, new long[] { batch, size }));
    }

    private static void Onnx(InferenceSession session, float[] rows, int batch, int size, bool tokens)
    {
        using var results = session.Run(OnnxInputs.For(rows, 0, batch, size, tokens));
    }

    private static double OnnxAccuracy(InferenceSession session, float[] values, long[] labels, int size, bool tokens)
    {
        int correct = 0;
        for (int start = 0; start < labels.Length; start += DeploymentReport.BatchSize)
        {
            int batch = Math.Min(DeploymentReport.BatchSize, labels.Length - start);
            using var results = session.Run(OnnxInputs.For(values, start, batch, size, tokens));
            var logits = results[0].AsTensor<float>();
            int classes = logits.Dimensions[1];
            float[] scores = logits.ToArray();
            for (int i = 0; i < batch; i++)
            {
                correct += Inference.ArgMax(scores.AsSpan(i * classes, classes)) == labels[start + i] ? 1 : 0;
            }
        }
        return (double)correct / labels.Length;
    }
}
