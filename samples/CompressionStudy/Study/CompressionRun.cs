using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DeclarativeDistill;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.CompressionStudy.Study;

/// <summary>
/// The study: each baseline trained on labels, then quantized to int8 and pruned at each sparsity (with and without
/// fine-tuning under the mask); each family's student trained on labels alone and distilled from the family's
/// deepest network, and the distilled student quantized too. Every model is evaluated on the test set, and every
/// compressed or distilled one is compared with its reference (fidelity).
/// </summary>
public sealed class CompressionRun
{
    private readonly StudyBudget budget;
    private readonly LabeledDataset train;
    private readonly LabeledDataset test;
    private readonly StudyDisplay display;
    private readonly List<Row> rows = new();

    public CompressionRun(StudyBudget budget, LabeledDataset train, LabeledDataset test)
    {
        this.budget = budget;
        this.train = train;
        this.test = test;
        display = new StudyDisplay(StepsPerFamily(budget) * Catalog.Families(budget).Count);
    }

    /// <summary>
    /// Per family: three baselines (trained, int8, int8 ONNX, pruned and fine-tuned at each sparsity) and the student's
    /// four rows (hard labels, distilled, int8, int8 ONNX).
    /// </summary>
    public static int StepsPerFamily(StudyBudget budget) => 3 * (3 + 2 * budget.Sparsities.Length) + 4;

    public IReadOnlyList<Row> Run() => display.Run(() =>
    {
        foreach (var family in Catalog.Families(budget))
        {
            RunFamily(family);
        }
        return rows;
    });

    private void RunFamily(Family family)
    {
        var options = new TrainingOptions
        {
            Epochs = family.Epochs,
            BatchSize = budget.BatchSize,
            LearningRate = family.LearningRate,
            Seed = budget.Seed,
        };
        Model? deepest = null;
        Tensor? deepestLogits = null;
        try
        {
            foreach (var network in family.Baselines)
            {
                var model = Create(network);
                var report = display.Train($"{network.Name} ({network.Architecture})", o => network.Fit(model, train, o), options);
                var logits = Add(network, model, Method.Trained, null, ModelSize.Dense(model), null, report.TotalTime);
                Quantize(network, model, (network.Name, logits));
                Prune(network, model, (network.Name, logits), options);
                deepest?.Dispose();
                deepestLogits?.Dispose();
                (deepest, deepestLogits) = (model, logits); // the baselines go from simple to deep: the last one teaches the student
            }

            var student = family.Student;
            using (var alone = Create(student.Network))
            {
                var report = display.Train($"{student.Network.Name} ({student.Network.Architecture}), hard labels",
                    o => student.Network.Fit(alone, train, o), options);
                Add(student.Network, alone, Method.Trained, null, ModelSize.Dense(alone), null, report.TotalTime).Dispose();
            }
            using var distilled = Create(student.Network);
            var teacher = family.Baselines[^1];
            var distillReport = display.Train($"{student.Network.Name}, distilled from {teacher.Name} ({student.Objective})",
                o => student.Distill(distilled, deepest!, train, o), options);
            using var distilledLogits = Add(student.Network, distilled, Method.Distilled, null, ModelSize.Dense(distilled), (teacher.Name, deepestLogits!),
                distillReport.TotalTime);
            Quantize(student.Network, distilled, ($"{student.Network.Name} (distilled)", distilledLogits));
        }
        finally
        {
            deepest?.Dispose();
            deepestLogits?.Dispose();
        }
    }

    private void Quantize(Network network, Model original, (string Name, Tensor Logits) reference)
    {
        var clock = Stopwatch.StartNew();
        using var quantized = Int8Quantization.Quantize(original);
        using var copy = Copy(network, original);
        quantized.ApplyTo(copy);
        Add(network, copy, Method.Quantized, null, quantized.SizeInBytes, reference, clock.Elapsed).Dispose();
        ExportInt8(network, original, reference);
    }

    /// <summary>
    /// The int8 file a deployment would serve: exported in static int8 calibrated on the training set, and evaluated by
    /// running it in ONNX Runtime, so its row's accuracy is the file's.
    /// </summary>
    private void ExportInt8(Network network, Model original, (string Name, Tensor Logits) reference)
    {
        var clock = Stopwatch.StartNew();
        string path = Path.Combine(Path.GetTempPath(), $"dd-study-{Guid.NewGuid():N}.onnx");
        try
        {
            ((IGeneratedNetwork)original).ExportOnnx(path, new Calibration(train));
            var time = clock.Elapsed;
            using var logits = OnnxLogits(path);
            long nonZero = NonZero(original);
            AddRow(network, logits, Method.QuantizedOnnx, null, new FileInfo(path).Length, nonZero, reference, time);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The test set's logits from an ONNX file, in ONNX Runtime.</summary>
    private Tensor OnnxLogits(string path)
    {
        using var session = new InferenceSession(path);
        using var flat = test.Features.reshape(test.Count, -1).contiguous();
        int size = (int)flat.shape[1];
        float[] values = flat.data<float>().ToArray();
        var logits = new List<float>();
        for (int start = 0; start < test.Count; start += 256)
        {
            int batch = Math.Min(256, test.Count - start);
            var input = new DenseTensor(values.AsMemory(start * size, batch * size), new[] { batch, size });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
            logits.AddRange(results[0].AsTensor<float>());
        }
        return torch.tensor(logits.ToArray(), new long[] { test.Count, logits.Count / test.Count });
    }

    private void Prune(Network network, Model original, (string Name, Tensor Logits) reference, TrainingOptions options)
    {
        foreach (double sparsity in budget.Sparsities)
        {
            using var copy = Copy(network, original);
            using var mask = MagnitudePruning.Prune(copy, sparsity);
            Add(network, copy, Method.Pruned, sparsity, ModelSize.Sparse(copy), reference, TimeSpan.Zero).Dispose();
            var report = display.Train(FormattableString.Invariant($"{network.Name} pruned {sparsity:P0}, fine-tuning"),
                o => network.Fit(copy, train, o),
                options with { Epochs = budget.FineTuneEpochs, LearningRate = budget.FineTuneLearningRate, Mask = mask });
            Add(network, copy, Method.PrunedFineTuned, sparsity, ModelSize.Sparse(copy), reference, report.TotalTime).Dispose();
        }
    }

    /// <summary>
    /// Evaluates <paramref name="model"/> on the test set (one forward pass gives accuracy and fidelity) and adds its row.
    /// Returns its logits, for the rows that will take it as their reference.
    /// </summary>
    private Tensor Add(Network network, Model model, Method method, double? sparsity, long size, (string Name, Tensor Logits)? reference, TimeSpan time)
    {
        var logits = Metrics.Logits(model, network.Input, test.Features);
        AddRow(network, logits, method, sparsity, size, NonZero(model), reference, time);
        return logits;
    }

    /// <summary>Adds the row of a model whose test-set logits are <paramref name="logits"/>.</summary>
    private void AddRow(Network network, Tensor logits, Method method, double? sparsity, long size, long nonZero, (string Name, Tensor Logits)? reference, TimeSpan time)
    {
        int errors;
        using (var predictions = logits.argmax(1))
        using (var wrong = predictions.ne(test.Labels))
        using (var count = wrong.sum())
        {
            errors = (int)count.item<long>();
        }
        var fidelity = reference is { } r ? Metrics.Fidelity(r.Logits, logits) : null;
        var row = new Row(network.Name, network.Family, network.Tier, method, sparsity, size, network.Parameters, nonZero, network.MultiplyAdds,
            1 - (double)errors / test.Count, errors, reference?.Name, fidelity?.Agreement, fidelity?.KL, time);
        rows.Add(row);
        display.Done(row);
    }

    private static long NonZero(Model model)
    {
        using (torch.no_grad())
        {
            return model.parameters().Sum(p => { using var n = p.count_nonzero(); return n.item<long>(); });
        }
    }

    private Model Create(Network network)
    {
        torch.manual_seed(budget.Seed);
        return network.Create();
    }

    /// <summary>A second network of the same architecture with its own copy of the weights and buffers.</summary>
    private static Model Copy(Network network, Model original)
    {
        var copy = network.Create();
        var source = original.state_dict();
        using (no_grad())
        {
            foreach (var (name, tensor) in copy.state_dict())
            {
                tensor.copy_(source[name]);
            }
        }
        copy.eval();
        return copy;
    }
}
