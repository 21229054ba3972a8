using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The training loops behind the generated <c>Fit</c> and <c>Distill</c> methods. Generated code binds
/// the typed parts (architecture, sizes, the loss with its declared constants); this class holds the
/// mechanics they share: batching from a seeded permutation, SGD, the schedule, progress, cancellation.
/// It can also be called directly with hand-written modules.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> on hard labels with cross-entropy.</summary>
    public static TrainingReport Fit(Model model, int inputSize, int outputSize, LabeledDataset train, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(model, inputSize, outputSize, train, "training set");
        return Run(model, train, options ?? new TrainingOptions(), TimeSpan.Zero,
            (features, labels, _) => nn.functional.cross_entropy(model.forward(features), labels));
    }

    /// <summary>
    /// Trains <paramref name="student"/> on <paramref name="transferSet"/> with <paramref name="loss"/>
    /// against the teachers' outputs (several teachers: see <see cref="KnowledgeDistillation.EnsembleLogits"/>).
    /// The teachers run in evaluation mode without gradients and are left in the mode they were in.
    /// </summary>
    public static TrainingReport Distill(
        Model student,
        int inputSize,
        int outputSize,
        IReadOnlyList<Model> teachers,
        double temperature,
        LabeledDataset transferSet,
        Func<Tensor, Tensor, Tensor, Tensor> loss,
        TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teachers);
        ArgumentNullException.ThrowIfNull(loss);
        if (teachers.Count == 0 || teachers.Any(t => t is null))
        {
            throw new ArgumentException("Distillation needs at least one teacher, and no teacher may be null.", nameof(teachers));
        }
        if (teachers.Any(t => ReferenceEquals(t, student)))
        {
            throw new ArgumentException("A model cannot be its own teacher.", nameof(teachers));
        }
        CheckData(student, inputSize, outputSize, transferSet, "transfer set");
        options ??= new TrainingOptions();
        options.Validate();

        var wereTraining = teachers.Select(t => t.training).ToArray();
        foreach (var teacher in teachers)
        {
            teacher.eval();
        }
        Tensor? cached = null;
        try
        {
            var preparation = Stopwatch.StartNew();
            if (options.CacheTeacherOutputs && options.Augment is null && options.Epochs > 0)
            {
                cached = TeacherLogits(teachers, temperature, transferSet.Features);
            }
            return Run(student, transferSet, options, preparation.Elapsed, (features, labels, indices) =>
            {
                using var teacherLogits = cached is null
                    ? TeacherLogits(teachers, temperature, features)
                    : cached.index_select(0, indices);
                return loss(student.forward(features), teacherLogits, labels);
            });
        }
        finally
        {
            cached?.Dispose();
            for (int i = 0; i < teachers.Count; i++)
            {
                teachers[i].train(wereTraining[i]);
            }
        }
    }

    /// <summary>The teachers' (combined) logits for <paramref name="features"/>, computed in chunks without gradients.</summary>
    private static Tensor TeacherLogits(IReadOnlyList<Model> teachers, double temperature, Tensor features)
    {
        const int Chunk = 4096;
        using var _ = no_grad();
        long count = features.shape[0];
        var chunks = new List<Tensor>();
        try
        {
            for (long start = 0; start < count; start += Chunk)
            {
                using var scope = NewDisposeScope();
                var input = features.narrow(0, start, Math.Min(Chunk, count - start));
                var outputs = teachers.Select(t => t.forward(input)).ToArray();
                chunks.Add(KnowledgeDistillation.EnsembleLogits(outputs, temperature).MoveToOuterDisposeScope());
            }
            return chunks.Count == 1 ? chunks[0].alias() : cat(chunks, 0);
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                chunk.Dispose();
            }
        }
    }

    private static TrainingReport Run(
        Model model,
        LabeledDataset data,
        TrainingOptions options,
        TimeSpan preparationTime,
        Func<Tensor, Tensor, Tensor, Tensor> batchLoss)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        int count = data.Count;
        int batchSize = Math.Min(options.BatchSize, count);
        int batchesPerEpoch = (count + batchSize - 1) / batchSize;
        long totalBatches = (long)batchesPerEpoch * options.Epochs;

        torch.manual_seed(options.Seed);
        using var shuffler = new Generator((ulong)options.Seed);
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate, options.Momentum,
            weight_decay: options.WeightDecay);
        var scheduler = options.Schedule == LearningRateSchedule.Cosine && totalBatches > 0
            ? optim.lr_scheduler.CosineAnnealingLR(optimizer, totalBatches)
            : null;

        var epochs = new List<EpochReport>(options.Epochs);
        model.train();
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                using var order = randperm(count, generator: shuffler);
                // The loss is summed on the tensor side and read back only when reported, so the batch
                // loop does not wait for the device.
                using var lossSum = zeros(1, dtype: ScalarType.Float64);
                for (int batch = 1; batch <= batchesPerEpoch; batch++)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    int start = (batch - 1) * batchSize;
                    int size = Math.Min(batchSize, count - start);
                    using (var scope = NewDisposeScope())
                    {
                        var indices = order.narrow(0, start, size);
                        var features = data.Features.index_select(0, indices);
                        var labels = data.Labels.index_select(0, indices);
                        if (options.Augment is { } augment)
                        {
                            features = augment(features);
                        }

                        optimizer.zero_grad();
                        var loss = batchLoss(features, labels, indices);
                        loss.backward();
                        optimizer.step();
                        scheduler?.step();
                        using (no_grad())
                        {
                            lossSum.add_(loss.detach().to_type(ScalarType.Float64) * size);
                        }
                    }

                    bool endOfEpoch = batch == batchesPerEpoch;
                    bool wanted = options.Progress is not null && options.ProgressInterval > 0 && batch % options.ProgressInterval == 0;
                    if (endOfEpoch || wanted)
                    {
                        int seen = start + size;
                        double meanLoss = lossSum.item<double>() / seen;
                        if (!double.IsFinite(meanLoss))
                        {
                            throw new TrainingDivergedException(epoch, batch, meanLoss);
                        }
                        double rate = seen / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
                        if (endOfEpoch)
                        {
                            epochs.Add(new EpochReport(epoch, meanLoss, epochClock.Elapsed, rate));
                        }
                        options.Progress?.Report(Progress(epoch, batch, batchesPerEpoch, options.Epochs, meanLoss, rate, clock.Elapsed));
                    }
                }
            }
        }
        finally
        {
            // Inference comes next; Fit/Distill switch back to training mode when called again.
            model.eval();
        }
        return new TrainingReport(epochs, preparationTime, clock.Elapsed + preparationTime);
    }

    private static TrainingProgress Progress(int epoch, int batch, int batchesPerEpoch, int epochs, double loss, double rate, TimeSpan elapsed)
    {
        double done = (epoch - 1) * (double)batchesPerEpoch + batch;
        double total = (double)batchesPerEpoch * epochs;
        var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done));
        return new TrainingProgress(epoch, epochs, batch, batchesPerEpoch, loss, rate, elapsed, remaining);
    }

    internal static void CheckData(Model model, int inputSize, int outputSize, LabeledDataset data, string role)
    {
        ArgumentNullException.ThrowIfNull(data, role);
        if (data.FeatureSize != inputSize)
        {
            throw new ArgumentException(
                $"{model.GetName()} takes {inputSize} inputs but the {role} has {data.FeatureSize} features per example.", nameof(data));
        }
        if (data.ClassCount > outputSize)
        {
            throw new ArgumentException(
                $"{model.GetName()} has {outputSize} outputs but the {role} has labels up to {data.ClassCount - 1}.", nameof(data));
        }
    }
}
