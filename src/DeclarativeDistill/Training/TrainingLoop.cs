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
    /// <param name="trainable">The parameters the optimizer changes; null for all of the model's.</param>
    /// <param name="stage">The stage progress reports name.</param>
    public static TrainingReport Run(Model model, LabeledDataset data, TrainingOptions options, string fingerprint,
        TimeSpan preparationTime, Device device, Func<Batch, BatchLoss> batchLoss, Tensor? lossOffsets = null,
        IEnumerable<TorchSharp.Modules.Parameter>? trainable = null, TrainingStage stage = TrainingStage.Whole)
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
        using var optimizer = optim.SGD(trainable ?? model.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
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
                // Sums over the epoch's examples, in double precision: the loss and each of its terms.
                using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
                using var termSums = new TermSums(device);
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
                            termSums.Add(loss, size);
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
                    double? softTerm = termSums.Mean(TermSums.Soft, meanLoss, offset, seen);
                    double? hardTerm = termSums.Mean(TermSums.Hard, meanLoss, 0, seen);
                    var hintTerms = termSums.HintMeans(meanLoss, seen);
                    if (!double.IsFinite(meanLoss))
                    {
                        Restore(model, lastGood);
                        throw new TrainingDivergedException(epoch, batch, meanLoss);
                    }
                    double rate = seen / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
                    if (endOfEpoch)
                    {
                        (lastGood, candidate) = (candidate, lastGood);
                        epochs.Add(new EpochReport(epoch, meanLoss, epochClock.Elapsed, rate) { SoftTerm = softTerm, HardTerm = hardTerm, HintTerms = hintTerms });
                    }
                    options.Progress?.Report(Progress(epoch, batch, batchesPerEpoch, options.Epochs, firstEpoch, meanLoss, rate, clock.Elapsed)
                        with { SoftTerm = softTerm, HardTerm = hardTerm, HintTerms = hintTerms, Stage = stage });
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

    /// <summary>
    /// Sums of a loss's terms over an epoch's examples (double, on the device), slot by slot in the order of
    /// <see cref="BatchLoss.Terms"/>. A term that is the whole loss (Fit's cross-entropy, a one-term distillation, a
    /// hint stage with one hint) is not summed twice: its mean is the loss's.
    /// </summary>
    private sealed class TermSums : IDisposable
    {
        public const int Soft = 0;
        public const int Hard = 1;

        private readonly Device device;
        private readonly List<Tensor> sums = new();
        private readonly List<bool?> separate = new(); // null: the loss has no such term; false: the term is the whole loss

        public TermSums(Device device) => this.device = device;

        public void Add(BatchLoss loss, int size)
        {
            int slot = 0;
            foreach (var term in loss.Terms())
            {
                if (slot == sums.Count)
                {
                    // Made during a batch, inside its dispose scope; the sum outlives the batch.
                    sums.Add(zeros(1, dtype: ScalarType.Float64, device: device).DetachFromDisposeScope());
                    separate.Add(null);
                }
                if (term is not null)
                {
                    bool own = !ReferenceEquals(term, loss.Total);
                    separate[slot] = own;
                    if (own)
                    {
                        sums[slot].add_(term, size);
                    }
                }
                slot++;
            }
        }

        /// <summary>The mean of the term in <paramref name="slot"/> over <paramref name="seen"/> examples, with <paramref name="offset"/> added back; null when the loss has no such term.</summary>
        public double? Mean(int slot, double meanLoss, double offset, int seen) =>
            slot < separate.Count ? separate[slot] switch
            {
                null => null,
                false => meanLoss,
                true => (sums[slot].item<double>() + offset) / seen,
            } : null;

        /// <summary>The means of the hint terms, in order; null when the loss has none.</summary>
        public IReadOnlyList<double>? HintMeans(double meanLoss, int seen)
        {
            if (sums.Count <= Hard + 1)
            {
                return null;
            }
            var means = new double[sums.Count - Hard - 1];
            for (int i = 0; i < means.Length; i++)
            {
                means[i] = Mean(Hard + 1 + i, meanLoss, 0, seen) ?? double.NaN;
            }
            return means;
        }

        public void Dispose()
        {
            foreach (var sum in sums)
            {
                sum.Dispose();
            }
        }
    }

    /// <summary>One batch: features and labels (null for a transfer set without labels) on the model's device, which examples they are, and how many.</summary>
    internal readonly record struct Batch(Tensor Features, Tensor? Labels, Tensor Indices, int Size);
}
