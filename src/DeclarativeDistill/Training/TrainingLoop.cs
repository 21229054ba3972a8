using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The loop that <c>Fit</c> and <c>Distill</c> share. Data stays in one contiguous tensor; each batch is
/// an <c>index_select</c> of a seeded permutation, moved to the model's device. The loss is summed on the
/// device and read back only when progress is reported or an epoch ends, so the loop does not wait for
/// the device batch by batch.
/// </summary>
internal static class TrainingLoop
{
    /// <param name="model">The model being trained, already on <paramref name="device"/>.</param>
    /// <param name="data">Training examples (on the CPU).</param>
    /// <param name="options">Validated options.</param>
    /// <param name="fingerprint">What this run is, so a checkpoint of another run is refused.</param>
    /// <param name="preparationTime">Time spent before the loop (the teacher cache), for the report.</param>
    /// <param name="device">Where the model lives.</param>
    /// <param name="batchLoss">The mean loss of one batch, with its terms.</param>
    /// <param name="lossOffsets">
    /// Per example (double, on the CPU), a part of its soft term that does not depend on the model and that
    /// <paramref name="batchLoss"/> leaves out; added back to the loss reported. Null when there is none.
    /// </param>
    public static TrainingReport Run(Model model, LabeledDataset data, TrainingOptions options, string fingerprint,
        TimeSpan preparationTime, Device device, Func<Batch, BatchLoss> batchLoss, Tensor? lossOffsets = null)
    {
        bool onCpu = device.type == DeviceType.CPU; // then moving a batch "to" the device would only add tensor handles
        var clock = Stopwatch.StartNew();
        int count = data.Count;
        int batchSize = Math.Min(options.BatchSize, count);
        int batchesPerEpoch = (count + batchSize - 1) / batchSize;
        if (count % batchSize == 1 && batchesPerEpoch > 1)
        {
            // A last batch of one example joins the batch before it: batch norm cannot train on one value per
            // channel, and a step on one example's gradient is mostly noise.
            batchesPerEpoch--;
        }
        long totalBatches = (long)batchesPerEpoch * options.Epochs;

        torch.manual_seed(options.Seed);
        using var shuffler = new Generator((ulong)options.Seed);
        var checkpoints = options.CheckpointDirectory is { } directory ? new CheckpointStore(directory, fingerprint) : null;
        var resumed = checkpoints?.LoadLatest();
        resumed?.RestoreModel(model, shuffler);
        model.to(device); // load() replaces parameters: move them before the optimizer takes them

        // A pruning mask, bound to the parameters on the device (after load and move): applied now and after every step.
        var masked = options.Mask?.Bind(model).Select(m => (m.Weight, Mask: m.Mask.to(m.Weight.device))).ToList();
        ApplyMasks(masked);
        using var optimizer = optim.SGD(model.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
        resumed?.RestoreOptimizer(optimizer);
        var epochs = new List<EpochReport>(resumed?.Epochs ?? Array.Empty<EpochReport>());
        int firstEpoch = (resumed?.EpochsCompleted ?? 0) + 1;

        // The weights to go back to if the loss diverges: always weights whose loss was seen to be finite.
        // The loss of a batch is computed before its optimizer step, so the weights after an epoch's last
        // step are not yet known to be good; a copy taken just before that step is (once the epoch's loss
        // is checked). Copied once per epoch, to keep a copy of every parameter off the hot path.
        var lastGood = Snapshot(model);
        var candidate = Snapshot(model);
        model.train();
        try
        {
            for (int epoch = firstEpoch; epoch <= options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                using var order = randperm(count, generator: shuffler);
                // Sums over the epoch's examples, in double precision: the loss, its soft term and its hard term.
                using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
                using var softSum = zeros(1, dtype: ScalarType.Float64, device: device);
                using var hardSum = zeros(1, dtype: ScalarType.Float64, device: device);
                // Per term: null when the loss has no such term; false when the term is the whole loss (Fit's cross-entropy,
                // a distillation with one term), which lossSum already sums; true when it is summed on its own.
                bool? softOwn = null, hardOwn = null;
                using var offsetSums = lossOffsets?.index_select(0, order).cumsum(0); // once per epoch, read at each report
                for (int batch = 1; batch <= batchesPerEpoch; batch++)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    int start = (batch - 1) * batchSize;
                    int size = batch == batchesPerEpoch ? count - start : batchSize;
                    using (var scope = NewDisposeScope())
                    {
                        var indices = order.narrow(0, start, size);
                        var features = data.Features.index_select(0, indices);
                        var labels = data.LabelsOrNull?.index_select(0, indices);
                        if (!onCpu)
                        {
                            features = features.to(device);
                            labels = labels?.to(device);
                        }
                        if (options.Augment is { } augment)
                        {
                            features = augment(features);
                        }

                        if (options.Schedule == LearningRateSchedule.Cosine)
                        {
                            SetCosineLearningRate(optimizer, options.LearningRate, (epoch - 1) * (long)batchesPerEpoch + batch - 1, totalBatches);
                        }
                        model.zero_grad(); // drops the gradients (set_to_none) instead of writing zeros over them
                        var loss = batchLoss(new Batch(features, labels, indices, size));
                        loss.Total.backward();
                        if (batch == batchesPerEpoch)
                        {
                            Refresh(model, candidate); // the weights this last loss was computed with
                        }
                        optimizer.step();
                        ApplyMasks(masked);
                        using (no_grad())
                        {
                            lossSum.add_(loss.Total, size); // the sum of the batch's per-example losses
                            if (loss.Soft is { } soft)
                            {
                                softOwn = !ReferenceEquals(soft, loss.Total);
                                if (softOwn.Value)
                                {
                                    softSum.add_(soft, size);
                                }
                            }
                            if (loss.Hard is { } hard)
                            {
                                hardOwn = !ReferenceEquals(hard, loss.Total);
                                if (hardOwn.Value)
                                {
                                    hardSum.add_(hard, size);
                                }
                            }
                        }
                    }

                    bool endOfEpoch = batch == batchesPerEpoch;
                    bool wanted = options.Progress is not null && options.ProgressInterval > 0 && batch % options.ProgressInterval == 0;
                    if (!endOfEpoch && !wanted)
                    {
                        continue;
                    }
                    int seen = start + size;
                    double offset = OffsetOf(offsetSums, seen);
                    double meanLoss = (lossSum.item<double>() + offset) / seen;
                    double? softTerm = softOwn switch { null => null, false => meanLoss, true => (softSum.item<double>() + offset) / seen };
                    double? hardTerm = hardOwn switch { null => null, false => meanLoss, true => hardSum.item<double>() / seen };
                    if (!double.IsFinite(meanLoss))
                    {
                        Restore(model, lastGood);
                        throw new TrainingDivergedException(epoch, batch, meanLoss);
                    }
                    double rate = seen / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
                    if (endOfEpoch)
                    {
                        (lastGood, candidate) = (candidate, lastGood);
                        epochs.Add(new EpochReport(epoch, meanLoss, epochClock.Elapsed, rate) { SoftTerm = softTerm, HardTerm = hardTerm });
                    }
                    options.Progress?.Report(Progress(epoch, batch, batchesPerEpoch, options.Epochs, firstEpoch, meanLoss, rate, clock.Elapsed)
                        with { SoftTerm = softTerm, HardTerm = hardTerm });
                }

                if (checkpoints is not null && (epoch % options.CheckpointInterval == 0 || epoch == options.Epochs))
                {
                    checkpoints.Save(epoch, epochs, model, optimizer, shuffler);
                }
            }
        }
        finally
        {
            foreach (var tensor in lastGood.Concat(candidate))
            {
                tensor.Dispose();
            }
            // Inference comes next; Fit/Distill switch back to training mode when called again.
            model.eval();
        }
        return new TrainingReport(epochs, preparationTime, clock.Elapsed + preparationTime, resumed?.EpochsCompleted ?? 0);
    }

    /// <summary>
    /// Cosine decay to zero over all batches, in closed form so that a resumed run follows the same curve.
    /// (A constant schedule keeps the rate the optimizer was created with.)
    /// </summary>
    private static void SetCosineLearningRate(optim.Optimizer optimizer, double initialRate, long step, long totalSteps)
    {
        double rate = initialRate * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps));
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }

    /// <summary>The sum of the loss offsets of the epoch's first <paramref name="seen"/> examples, from their running sums in the epoch's order.</summary>
    private static double OffsetOf(Tensor? offsetSums, int seen)
    {
        if (offsetSums is null)
        {
            return 0;
        }
        using var sum = offsetSums[seen - 1];
        return sum.item<double>();
    }

    /// <summary>A copy of the parameters and buffers (batch-norm statistics), to put back if training diverges.</summary>
    private static List<Tensor> Snapshot(Model model)
    {
        using var _ = no_grad();
        return State(model).Select(p => p.detach().clone()).ToList();
    }

    private static void Refresh(Model model, List<Tensor> snapshot)
    {
        using var _ = no_grad();
        foreach (var (saved, tensor) in snapshot.Zip(State(model)))
        {
            saved.copy_(tensor);
        }
    }

    private static void Restore(Model model, List<Tensor> snapshot)
    {
        using var _ = no_grad();
        foreach (var (saved, tensor) in snapshot.Zip(State(model)))
        {
            tensor.copy_(saved);
        }
    }

    private static void ApplyMasks(List<(Tensor Weight, Tensor Mask)>? masked)
    {
        if (masked is null)
        {
            return;
        }
        using var _ = no_grad();
        foreach (var (weight, mask) in masked)
        {
            weight.mul_(mask);
        }
    }

    private static IEnumerable<Tensor> State(Model model) => model.parameters().Concat(model.buffers());

    private static TrainingProgress Progress(int epoch, int batch, int batchesPerEpoch, int epochs, int firstEpoch, double loss, double rate, TimeSpan elapsed)
    {
        double done = (epoch - firstEpoch) * (double)batchesPerEpoch + batch;
        double remainingBatches = (double)batchesPerEpoch * epochs - ((epoch - 1) * (double)batchesPerEpoch + batch);
        var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * remainingBatches);
        return new TrainingProgress(epoch, epochs, batch, batchesPerEpoch, loss, rate, elapsed, remaining);
    }

    /// <summary>One batch: features and labels (null for a transfer set without labels) on the model's device, which examples they are, and how many.</summary>
    internal readonly record struct Batch(Tensor Features, Tensor? Labels, Tensor Indices, int Size);
}
