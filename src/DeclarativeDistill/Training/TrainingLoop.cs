using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The loop that <c>Fit</c> and <c>Distill</c> share. Each batch is the next slice of a seeded permutation: an
/// <c>index_select</c> of the data held in memory, or read from the source by background workers ahead of training
/// (<see cref="BatchReader"/>, within <see cref="TrainingOptions.MemoryBudgetBytes"/>); then moved to the model's device. The loss is summed on the
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
    /// <param name="termNames">The names of the loss's terms, in the order of <see cref="BatchLoss.Terms"/>.</param>
    /// <param name="batchLoss">The mean loss of one batch, with its terms.</param>
    /// <param name="termOffsets">
    /// Per term, per example (double, on the CPU), a part of its value that does not depend on the model and that
    /// <paramref name="batchLoss"/> leaves out; added back to the term and the loss reported. Null for a term without.
    /// </param>
    /// <param name="trainable">The parameters the optimizer changes; null for all of the model's.</param>
    /// <param name="stage">The stage progress reports name.</param>
    /// <param name="epochStarting">Called with (epoch, epochs) before each epoch: for terms whose weight follows a schedule.</param>
    public static TrainingReport Run(Model model, DataSource data, TrainingOptions options, string fingerprint,
        TimeSpan preparationTime, Device device, IReadOnlyList<string> termNames, Func<Batch, BatchLoss> batchLoss,
        IReadOnlyList<Tensor?>? termOffsets = null, IEnumerable<TorchSharp.Modules.Parameter>? trainable = null,
        TrainingStage stage = TrainingStage.Whole, Action<int, int>? epochStarting = null)
    {
        bool onCpu = device.type == DeviceType.CPU; // then moving a batch "to" the device would only add tensor handles
        var clock = Stopwatch.StartNew();
        var sinceReport = Stopwatch.StartNew();
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
        var checkpoints = options.CheckpointDirectory is { } directory ? new CheckpointStore(directory, fingerprint, termNames) : null;
        var resumed = checkpoints?.LoadLatest();
        resumed?.RestoreModel(model, shuffler);
        model.to(device); // load() replaces parameters: move them before the optimizer takes them

        // A pruning mask, bound to the parameters on the device (after load and move): applied now and after every step.
        var masked = options.Mask?.Bind(model).Select(m => (m.Weight, Mask: m.Mask.to(m.Weight.device))).ToList();
        ApplyMasks(masked);
        using var optimizer = optim.SGD(trainable ?? model.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
        resumed?.RestoreOptimizer(optimizer);
        var epochs = new List<EpochReport>(resumed?.Epochs ?? Array.Empty<EpochReport>());
        int firstEpoch = (resumed?.EpochsCompleted ?? 0) + 1;
        var partial = resumed?.Partial; // a checkpoint within an epoch: that epoch goes on from its next batch
        int resumedBatches = partial?.Batches ?? 0; // batches of the first epoch done before this call, not timed by it

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
                epochStarting?.Invoke(epoch, options.Epochs);
                var epochClock = Stopwatch.StartNew();
                var elapsedBefore = partial?.Elapsed ?? TimeSpan.Zero; // time of this epoch before the checkpoint it resumes from
                int firstBatch = (partial?.Batches ?? 0) + 1;
                using var epochStart = shuffler.get_state(); // what a checkpoint within this epoch draws its order again from
                using var order = EpochOrder.Draw(count, data.BlockSize, shuffler);
                using var reader = data.InMemory is null
                    ? new BatchReader(data, order.data<long>().ToArray(), batchSize, batchesPerEpoch, options.DataWorkers, options.MemoryBudgetBytes, firstBatch - 1)
                    : null;
                // Sums over the epoch's examples, in double precision: the loss and each of its terms.
                using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
                using var termSums = new TermSums(device, termNames);
                using var offsetSums = new TermOffsets(termOffsets, order); // running sums in the epoch's order, read at each report
                if (partial is not null)
                {
                    lossSum.fill_(partial.LossSum);
                    termSums.Restore(partial.TermSums);
                    partial = null;
                }
                for (int batch = firstBatch; batch <= batchesPerEpoch; batch++)
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    int start = (batch - 1) * batchSize;
                    int size = batch == batchesPerEpoch ? count - start : batchSize;
                    using (var scope = NewDisposeScope())
                    {
                        var indices = order.narrow(0, start, size);
                        var (features, labels) = data.InMemory is { } memory
                            ? (memory.Features.index_select(0, indices), memory.LabelsOrNull?.index_select(0, indices))
                            : Read(reader!, batch - 1);
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
                            termSums.Add(loss, size);
                        }
                    }

                    bool endOfEpoch = batch == batchesPerEpoch;
                    if (checkpoints is not null && !endOfEpoch && options.CheckpointEveryBatches is { } every && batch % every == 0)
                    {
                        checkpoints.Save(epoch - 1, epochs, model, optimizer, epochStart,
                            new PartialEpoch(batch, lossSum.item<double>(), termSums.Values(), elapsedBefore + epochClock.Elapsed));
                    }
                    bool wanted = options.Progress is not null
                        && ((options.ProgressIntervalBatches > 0 && batch % options.ProgressIntervalBatches == 0)
                            || (options.Progress is ProgressLines lines && sinceReport.Elapsed >= lines.Interval)); // the ready reporters write by time
                    if (!endOfEpoch && !wanted)
                    {
                        continue;
                    }
                    int seen = start + size;
                    double offset = offsetSums.Total(seen);
                    double meanLoss = (lossSum.item<double>() + offset) / seen;
                    var terms = termSums.Means(meanLoss, offsetSums, seen);
                    if (!double.IsFinite(meanLoss))
                    {
                        Restore(model, lastGood);
                        throw new TrainingDivergedException(epoch, batch, meanLoss);
                    }
                    var epochTime = elapsedBefore + epochClock.Elapsed;
                    double rate = seen / Math.Max(epochTime.TotalSeconds, 1e-9);
                    if (endOfEpoch)
                    {
                        (lastGood, candidate) = (candidate, lastGood);
                        epochs.Add(new EpochReport(epoch, meanLoss, epochTime, rate) { Terms = terms });
                    }
                    options.Progress?.Report(Progress(epoch, batch, batchesPerEpoch, options.Epochs, firstEpoch, resumedBatches, meanLoss, rate, clock.Elapsed, preparationTime)
                        with { Terms = terms, Stage = stage });
                    sinceReport.Restart();
                }

                if (checkpoints is not null && (epoch % options.CheckpointInterval == 0 || epoch == options.Epochs))
                {
                    using var state = shuffler.get_state();
                    checkpoints.Save(epoch, epochs, model, optimizer, state);
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

    /// <summary>A batch read ahead by the reader, as tensors in the current dispose scope.</summary>
    private static (Tensor Features, Tensor? Labels) Read(BatchReader reader, int batch)
    {
        var (features, labels, _) = reader.Take(batch);
        return (features, labels);
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

    /// <summary>A report: the time left extrapolated from the loop's own time, the time elapsed counting the preparation before it.</summary>
    private static TrainingProgress Progress(int epoch, int batch, int batchesPerEpoch, int epochs, int firstEpoch, int resumedBatches, double loss,
        double rate, TimeSpan training, TimeSpan preparation)
    {
        double done = (epoch - firstEpoch) * (double)batchesPerEpoch + batch - resumedBatches; // the batches this call has timed
        double remainingBatches = (double)batchesPerEpoch * epochs - ((epoch - 1) * (double)batchesPerEpoch + batch);
        var remaining = TimeSpan.FromSeconds(training.TotalSeconds / done * remainingBatches);
        return new TrainingProgress(epoch, epochs, batch, batchesPerEpoch, loss, rate, training + preparation, remaining);
    }

    /// <summary>
    /// Sums of a loss's terms over an epoch's examples (double, on the device), slot by slot in the order of the stage's
    /// terms. A term that is the whole loss (one term alone) is not summed twice: its mean is the loss's.
    /// </summary>
    private sealed class TermSums : IDisposable
    {
        private readonly Device device;
        private readonly IReadOnlyList<string> names;
        private readonly Tensor?[] sums;

        public TermSums(Device device, IReadOnlyList<string> names)
        {
            this.device = device;
            this.names = names;
            sums = new Tensor?[names.Count];
        }

        public void Add(BatchLoss loss, int size)
        {
            for (int k = 0; k < sums.Length && k < loss.Terms.Count; k++)
            {
                if (ReferenceEquals(loss.Terms[k], loss.Total))
                {
                    continue; // the term is the whole loss
                }
                // Made during a batch, inside its dispose scope; the sum outlives the batch.
                sums[k] ??= zeros(1, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope();
                sums[k]!.add_(loss.Terms[k], size);
            }
        }

        /// <summary>Each term's sum so far (null for a term that is the whole loss), for a checkpoint within an epoch.</summary>
        public IReadOnlyList<double?> Values() => sums.Select(s => s is null ? (double?)null : s.item<double>()).ToArray();

        /// <summary>Continues from the sums <see cref="Values"/> gave.</summary>
        public void Restore(IReadOnlyList<double?> values)
        {
            for (int k = 0; k < sums.Length && k < values.Count; k++)
            {
                if (values[k] is { } value)
                {
                    sums[k] = full(1, value, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope();
                }
            }
        }

        /// <summary>Each term's mean over <paramref name="seen"/> examples, its offsets added back.</summary>
        public IReadOnlyList<TermValue> Means(double meanLoss, TermOffsets offsets, int seen)
        {
            var means = new TermValue[names.Count];
            for (int k = 0; k < means.Length; k++)
            {
                means[k] = new TermValue(names[k], sums[k] is { } sum ? (sum.item<double>() + offsets.Of(k, seen)) / seen : meanLoss);
            }
            return means;
        }

        public void Dispose()
        {
            foreach (var sum in sums)
            {
                sum?.Dispose();
            }
        }
    }

    /// <summary>
    /// Per term, the running sums of its per-example offsets in an epoch's order (made once per epoch), so that a report
    /// after any batch reads the offsets of the examples seen so far in one lookup.
    /// </summary>
    private sealed class TermOffsets : IDisposable
    {
        private readonly Tensor?[] sums;

        public TermOffsets(IReadOnlyList<Tensor?>? offsets, Tensor order) =>
            sums = offsets?.Select(o => o?.index_select(0, order).cumsum(0)).ToArray() ?? Array.Empty<Tensor?>();

        /// <summary>Term <paramref name="term"/>'s offsets over the epoch's first <paramref name="seen"/> examples.</summary>
        public double Of(int term, int seen)
        {
            if (term >= sums.Length || sums[term] is not { } sum)
            {
                return 0;
            }
            using var value = sum[seen - 1];
            return value.item<double>();
        }

        /// <summary>Every term's offsets over the epoch's first <paramref name="seen"/> examples: what the loss leaves out.</summary>
        public double Total(int seen)
        {
            double total = 0;
            for (int k = 0; k < sums.Length; k++)
            {
                total += Of(k, seen);
            }
            return total;
        }

        public void Dispose()
        {
            foreach (var sum in sums)
            {
                sum?.Dispose();
            }
        }
    }

    /// <summary>One batch: features and labels (null for a transfer set without labels) on the model's device, which examples they are, and how many.</summary>
    internal readonly record struct Batch(Tensor Features, Tensor? Labels, Tensor Indices, int Size);
}
