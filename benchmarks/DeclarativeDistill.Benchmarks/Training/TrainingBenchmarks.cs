using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Benchmarks.Training;

/// <summary>
/// The training engine against its targets, side by side in one run: each measurement alternates the
/// things compared (A B A B ...) and takes medians, so the machine's noise hits both alike. Results are
/// ratios. Data: the embedded 8,000 MNIST digits; batch 128; SGD with momentum 0.9.
/// </summary>
internal static class TrainingBenchmarks
{
    private const int BatchSize = 128;

    /// <param name="repetitions">Measurements per comparison; medians are reported.</param>
    /// <param name="only">One part (handwritten, marginal, gemm, memory, conv, hints, cache or text), or null for all.</param>
    public static void Run(int repetitions, string? only = null)
    {
        var (train, test) = Datasets.MnistSample();
        test.Dispose();
        using (train)
        {
            Console.WriteLine($"Training benchmarks: {Environment.ProcessorCount} cores, {torch.get_num_threads()} TorchSharp threads, "
                + $"{train.Count} examples, batch {BatchSize}, {repetitions} repetitions, medians.");
            Console.WriteLine();
            Console.WriteLine("| Measurement | Value | Target |");
            Console.WriteLine("|---|---:|---:|");

            manual_seed(1);
            using var teacher = new BenchTeacher();
            var fixedRate = new TrainingOptions { Epochs = 1, BatchSize = BatchSize, LearningRate = 0.01, Schedule = LearningRateSchedule.Constant, Seed = 1 };

            bool Wanted(string part) => only is null || only == part;
            if (Wanted("handwritten"))
            {
                AgainstHandWritten(train, teacher, fixedRate, repetitions);
            }
            if (Wanted("marginal"))
            {
                MarginalEpoch<BenchStudent>("784-800-800-10", () => new BenchStudent(), (s, o) => s.Distill(teacher, train, o), train,
                    fixedRate, repetitions, 1.10);
                // A 784-64-10 epoch takes a few tens of milliseconds, shorter than the machine's hiccups: measure six at a time.
                MarginalEpoch<SmallBenchStudent>("784-64-10", () => new SmallBenchStudent(), (s, o) => s.Distill(teacher, train, o), train,
                    fixedRate with { Epochs = 6 }, repetitions, 1.25);
            }
            if (Wanted("gemm"))
            {
                AgainstGemmLimit(train, teacher, fixedRate, repetitions);
            }
            if (Wanted("memory"))
            {
                MemoryOverEpochs(train, teacher, fixedRate);
            }
            if (Wanted("conv"))
            {
                ConvAgainstHandWritten(train, fixedRate, repetitions);
            }
            if (Wanted("hints"))
            {
                HintsAgainstPlainDistillation(train, fixedRate, repetitions);
            }
            if (Wanted("cache"))
            {
                CachePass(train, fixedRate, repetitions);
            }
            if (Wanted("text"))
            {
                TextAgainstHandWritten(fixedRate, repetitions);
            }
        }
    }

    /// <summary>Generated Distill (teacher outputs not cached, then cached) against the hand-written loop, per epoch.</summary>
    private static void AgainstHandWritten(LabeledDataset train, BenchTeacher teacher, TrainingOptions options, int repetitions)
    {
        manual_seed(2);
        using var generated = new BenchStudent();
        using var cachedStudent = new BenchStudent();
        using var handStudent = new BenchStudent();
        using var hand = new HandWrittenLoop(handStudent, teacher, options.LearningRate, BenchStudent.Temperature, BenchStudent.Alpha);

        var uncached = options with { CacheTeacherOutputs = false };
        var generatedTimes = new List<double>();
        var cachedTimes = new List<double>();
        var handTimes = new List<double>();
        double preparation = 0;
        for (int r = 0; r <= repetitions; r++)
        {
            double g = generated.Distill(teacher, train, uncached).Epochs[0].Duration.TotalSeconds;
            var clock = Stopwatch.StartNew();
            hand.Epoch(train.Features, train.Labels, BatchSize);
            double h = clock.Elapsed.TotalSeconds;
            var cachedReport = cachedStudent.Distill(teacher, train, options);
            if (r > 0) // the first round warms up
            {
                generatedTimes.Add(g);
                handTimes.Add(h);
                cachedTimes.Add(cachedReport.Epochs[0].Duration.TotalSeconds);
                preparation = cachedReport.PreparationTime.TotalSeconds;
            }
        }
        double handEpoch = Median(handTimes);
        Row("Distill epoch ÷ hand-written KD epoch, 784-800-800-10 from 784-1200-1200-10, teacher not cached",
            Ratio(Median(generatedTimes) / handEpoch), "≤ 1.03×");
        Row("Distill epoch ÷ hand-written KD epoch, teacher outputs cached", Ratio(Median(cachedTimes) / handEpoch), "far below 1");
        Row("  the same, counting the one-off caching pass spread over 30 epochs",
            Ratio((Median(cachedTimes) + preparation / 30) / handEpoch), "");
        Row("  (hand-written epoch, for scale)", Seconds(handEpoch), "");
    }

    /// <summary>
    /// A generated conv network against the same network written by hand (<see cref="HandConvStudent"/>), trained
    /// by the hand-written loop: Fit epochs on labels, then Distill epochs from a generated conv teacher (not
    /// cached, and cached), alternated in one run.
    /// </summary>
    private static void ConvAgainstHandWritten(LabeledDataset train, TrainingOptions options, int repetitions)
    {
        manual_seed(6);
        using var teacher = new BenchConvTeacher();
        teacher.Fit(train, options);
        using var fitted = new BenchConvStudent();
        using var distilled = new BenchConvStudent();
        using var cachedStudent = new BenchConvStudent();
        using var handFitted = new HandConvStudent();
        using var handDistilled = new HandConvStudent();
        using var handFit = new HandWrittenLoop(handFitted, teacher: null, options.LearningRate);
        using var handKd = new HandWrittenLoop(handDistilled, teacher, options.LearningRate, BenchConvStudent.Temperature, BenchConvStudent.Alpha);

        var fit = new List<double>();
        var handFitTimes = new List<double>();
        var distill = new List<double>();
        var handKdTimes = new List<double>();
        var cached = new List<double>();
        for (int r = 0; r <= repetitions; r++)
        {
            double f = fitted.Fit(train, options).Epochs[0].Duration.TotalSeconds;
            var clock = Stopwatch.StartNew();
            handFit.Epoch(train.Features, train.Labels, BatchSize);
            double hf = clock.Elapsed.TotalSeconds;
            double d = distilled.Distill(teacher, train, options with { CacheTeacherOutputs = false }).Epochs[0].Duration.TotalSeconds;
            clock.Restart();
            handKd.Epoch(train.Features, train.Labels, BatchSize);
            double hk = clock.Elapsed.TotalSeconds;
            double c = cachedStudent.Distill(teacher, train, options).Epochs[0].Duration.TotalSeconds;
            if (r > 0)
            {
                fit.Add(f);
                handFitTimes.Add(hf);
                distill.Add(d);
                handKdTimes.Add(hk);
                cached.Add(c);
            }
        }
        Row($"Conv Fit epoch ÷ hand-written conv epoch, {BenchConvStudent.Architecture}", Ratio(Median(fit) / Median(handFitTimes)), "≤ 1.03×");
        Row("Conv Distill epoch ÷ hand-written conv KD epoch, teacher not cached", Ratio(Median(distill) / Median(handKdTimes)), "≤ 1.03×");
        Row("Conv Distill epoch ÷ hand-written conv KD epoch, teacher outputs cached", Ratio(Median(cached) / Median(handKdTimes)), "far below 1");
        Row("  (hand-written conv Fit epoch, KD epoch)", $"{Seconds(Median(handFitTimes))}, {Seconds(Median(handKdTimes))}", "");
    }

    /// <summary>
    /// A text student (embed, conv1d, gmp) against the same network written by hand, per epoch of 4,096 random texts of 64
    /// ids (some padding at the end), on labels and distilled from an LSTM teacher (not cached); then one text's latency,
    /// teacher against student.
    /// </summary>
    private static void TextAgainstHandWritten(TrainingOptions options, int repetitions)
    {
        manual_seed(7);
        var random = new Random(7);
        var ids = new float[4096 * 64];
        var labels = new long[4096];
        for (int i = 0; i < labels.Length; i++)
        {
            int length = random.Next(8, 65);
            for (int t = 0; t < length; t++)
            {
                ids[i * 64 + t] = random.Next(1, 5000);
            }
            labels[i] = random.Next(2);
        }
        using var train = new LabeledDataset(tensor(ids, new long[] { 4096, 64 }), tensor(labels), 2);
        using var teacher = new BenchTextTeacher();
        using var fitted = new BenchTextStudent();
        using var distilled = new BenchTextStudent();
        using var handFitted = new HandTextStudent();
        using var handDistilled = new HandTextStudent();
        using var handFit = new HandWrittenLoop(handFitted, teacher: null, options.LearningRate);
        using var handKd = new HandWrittenLoop(handDistilled, teacher, options.LearningRate, BenchTextStudent.Objective.Temperature, BenchTextStudent.Objective.Alpha);

        var fit = new List<double>();
        var handFitTimes = new List<double>();
        var distill = new List<double>();
        var handKdTimes = new List<double>();
        var teacherLatency = new List<double>();
        var studentLatency = new List<double>();
        using var texts = train.Features.narrow(0, 0, 50).clone(); // 50 texts, one at a time
        for (int r = 0; r <= repetitions; r++)
        {
            double f = fitted.Fit(train, options).Epochs[0].Duration.TotalSeconds;
            var clock = Stopwatch.StartNew();
            handFit.Epoch(train.Features, train.Labels, BatchSize);
            double hf = clock.Elapsed.TotalSeconds;
            double d = distilled.Distill(teacher, train, options with { CacheTeacherOutputs = false }).Epochs[0].Duration.TotalSeconds;
            clock.Restart();
            handKd.Epoch(train.Features, train.Labels, BatchSize);
            double hk = clock.Elapsed.TotalSeconds;
            teacher.eval();
            fitted.eval();
            double t = ForwardPass(teacher, texts, 1);
            double s = ForwardPass(fitted, texts, 1);
            if (r > 0)
            {
                fit.Add(f);
                handFitTimes.Add(hf);
                distill.Add(d);
                handKdTimes.Add(hk);
                teacherLatency.Add(t);
                studentLatency.Add(s);
            }
        }
        Row($"Text Fit epoch ÷ hand-written text epoch, {BenchTextStudent.Architecture}", Ratio(Median(fit) / Median(handFitTimes)), "≤ 1.05×");
        Row($"Text Distill epoch ÷ hand-written text KD epoch, teacher {BenchTextTeacher.Architecture} not cached", Ratio(Median(distill) / Median(handKdTimes)), "≤ 1.05×");
        Row("  (hand-written text Fit epoch, KD epoch)", $"{Seconds(Median(handFitTimes))}, {Seconds(Median(handKdTimes))}", "");
        Row("Text teacher ÷ student, one text in TorchSharp", Ratio(Median(teacherLatency) / Median(studentLatency)), "");
    }

    /// <summary>
    /// The teacher-output cache pass of a conv teacher: a whole cached Distill (2 epochs of 4,096 examples, the cache pass
    /// included) against the hand-written uncached KD loop of the same 2 epochs, and the cache pass alone against a
    /// no-grad forward loop over the same examples at batch sizes from 64 to 4,096.
    /// </summary>
    private static void CachePass(LabeledDataset train, TrainingOptions options, int repetitions)
    {
        using var data = train.Slice(0, 4096);
        manual_seed(8);
        using var teacher = new BenchConvTeacher();
        teacher.Fit(data, options);
        teacher.eval();
        using var handStudent = new HandConvStudent();
        using var hand = new HandWrittenLoop(handStudent, teacher, options.LearningRate, BenchConvStudent.Temperature, BenchConvStudent.Alpha);
        var twoEpochs = options with { Epochs = 2 };
        int[] sizes = { 64, 128, 256, 512, 1024, 4096 };

        var cachedTotal = new List<double>();
        var cachePass = new List<double>();
        var handTimes = new List<double>();
        var forward = sizes.ToDictionary(s => s, _ => new List<double>());
        var logitsTimes = new List<double>();
        var shape = FeatureShape.Parse(BenchConvTeacher.InputShape);
        for (int r = 0; r <= repetitions; r++)
        {
            var logitsClock = Stopwatch.StartNew();
            using (Metrics.Logits(teacher, shape, data.Features))
            {
                logitsTimes.Add(logitsClock.Elapsed.TotalSeconds);
            }
            using var student = new BenchConvStudent();
            var report = student.Distill(teacher, data, twoEpochs);
            var clock = Stopwatch.StartNew();
            hand.Epoch(data.Features, data.Labels, BatchSize);
            hand.Epoch(data.Features, data.Labels, BatchSize);
            double h = clock.Elapsed.TotalSeconds;
            var passes = sizes.ToDictionary(s => s, s => ForwardPass(teacher, data.Features, s));
            if (r > 0)
            {
                cachedTotal.Add(report.TotalTime.TotalSeconds);
                cachePass.Add(report.PreparationTime.TotalSeconds);
                handTimes.Add(h);
                foreach (int s in sizes)
                {
                    forward[s].Add(passes[s]);
                }
            }
        }
        var best = sizes.MinBy(s => Median(forward[s]));
        Row("Cached conv Distill, 2 epochs of 4,096 with the cache pass ÷ hand-written uncached KD, 2 epochs", Ratio(Median(cachedTotal) / Median(handTimes)), "≤ 0.75×");
        Row($"Cache pass ÷ no-grad forward loop at its best batch size ({best})", Ratio(Median(cachePass) / Median(forward[best])), "≤ 1.1×");
        Row("  (no-grad forward by batch size)", string.Join(", ", sizes.Select(s => $"{s}: {Seconds(Median(forward[s]))}")), "");
        Row("  (Metrics.Logits over the same examples; the cache pass)", $"{Seconds(Median(logitsTimes))}; {Seconds(Median(cachePass))}", "");
    }

    /// <summary>Seconds of one no-grad forward pass of <paramref name="model"/> over <paramref name="features"/>, <paramref name="batch"/> rows at a time.</summary>
    private static double ForwardPass(Model model, Tensor features, int batch)
    {
        using var _ = no_grad();
        var clock = Stopwatch.StartNew();
        for (long start = 0; start < features.shape[0]; start += batch)
        {
            using var scope = NewDisposeScope();
            model.call(features.narrow(0, start, Math.Min(batch, features.shape[0] - start)));
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// What a hint costs per epoch against plain distillation of the same conv student (teacher outputs cached in both):
    /// the combined loss with the teacher's hint features cached, and computed per batch; and FitNets' hint stage, which
    /// runs the student only up to its guided layer.
    /// </summary>
    private static void HintsAgainstPlainDistillation(LabeledDataset train, TrainingOptions options, int repetitions)
    {
        manual_seed(7);
        using var teacher = new BenchConvTeacher();
        teacher.Fit(train, options);
        using var plain = new BenchConvStudent();
        using var hinted = new HintedBenchConvStudent();
        var combined = HintedBenchConvStudent.Objective with { HintTraining = HintTraining.Combined };

        var plainTimes = new List<double>();
        var cachedTimes = new List<double>();
        var perBatchTimes = new List<double>();
        var stageTimes = new List<double>();
        for (int r = 0; r <= repetitions; r++)
        {
            double p = plain.Distill(teacher, train, options).Epochs[0].Duration.TotalSeconds;
            double c = hinted.Distill(teacher, train, options, combined).Epochs[0].Duration.TotalSeconds;
            double b = hinted.Distill(teacher, train, options with { FeatureCacheBytes = 0 }, combined).Epochs[0].Duration.TotalSeconds;
            double h = hinted.Distill(teacher, train, options with { Epochs = 0, HintEpochs = 1 }).HintStage!.Epochs[0].Duration.TotalSeconds;
            if (r > 0)
            {
                plainTimes.Add(p);
                cachedTimes.Add(c);
                perBatchTimes.Add(b);
                stageTimes.Add(h);
            }
        }
        double plainEpoch = Median(plainTimes);
        Row($"Combined-hint Distill epoch ÷ plain Distill epoch, {HintedBenchConvStudent.Architecture}, hint features cached",
            Ratio(Median(cachedTimes) / plainEpoch), "");
        Row("Combined-hint Distill epoch ÷ plain Distill epoch, hint features computed per batch", Ratio(Median(perBatchTimes) / plainEpoch), "");
        Row("FitNets hint-stage epoch ÷ plain Distill epoch (the student runs up to its guided layer)", Ratio(Median(stageTimes) / plainEpoch), "");
        Row("  (plain Distill epoch, teacher outputs cached)", Seconds(plainEpoch), "");
    }

    /// <summary>
    /// One more Distill epoch (cached teacher) against one more Fit epoch of the same student: the mean epoch
    /// of each call (of <see cref="TrainingOptions.Epochs"/> epochs), medians over the repetitions.
    /// </summary>
    private static void MarginalEpoch<T>(string name, Func<T> create, Func<T, TrainingOptions, TrainingReport> distill,
        LabeledDataset train, TrainingOptions options, int repetitions, double target)
        where T : Model
    {
        manual_seed(3);
        using var fitted = create();
        using var distilled = create();
        var fitTimes = new List<double>();
        var distillTimes = new List<double>();
        var fit = typeof(T).GetMethod("Fit")!;
        for (int r = 0; r <= repetitions; r++)
        {
            double f = MeanEpochSeconds((TrainingReport)fit.Invoke(fitted, new object?[] { train, options })!);
            double d = MeanEpochSeconds(distill(distilled, options));
            if (r > 0)
            {
                fitTimes.Add(f);
                distillTimes.Add(d);
            }
        }
        Row($"Distill epoch ÷ Fit epoch, student {name} (teacher outputs cached)", Ratio(Median(distillTimes) / Median(fitTimes)),
            $"≤ {target.ToString("F2", CultureInfo.InvariantCulture)}×");
    }

    /// <summary>
    /// Samples per second against the GEMM limit: the batch's matrix products alone (forward, weight
    /// gradients, input gradients but the first layer's), timed with the same shapes in the same run.
    /// </summary>
    private static void AgainstGemmLimit(LabeledDataset train, BenchTeacher teacher, TrainingOptions options, int repetitions)
    {
        int[] student = { 784, 800, 800, 10 };
        int[] teacherLayers = { 784, 1200, 1200, 10 };
        double fitGemm = GemmSeconds(student, training: true, repetitions);
        double teacherGemm = GemmSeconds(teacherLayers, training: false, repetitions);

        manual_seed(4);
        using var fitted = new BenchStudent();
        using var distilled = new BenchStudent();
        using var handStudent = new BenchStudent();
        using var hand = new HandWrittenLoop(handStudent, teacher: null, options.LearningRate);
        var fitRates = new List<double>();
        var handRates = new List<double>();
        var distillRates = new List<double>();
        for (int r = 0; r <= repetitions; r++)
        {
            double f = fitted.Fit(train, options).Epochs[0].SamplesPerSecond;
            var clock = Stopwatch.StartNew();
            hand.Epoch(train.Features, train.Labels, BatchSize);
            double h = train.Count / clock.Elapsed.TotalSeconds;
            double d = distilled.Distill(teacher, train, options with { CacheTeacherOutputs = false }).Epochs[0].SamplesPerSecond;
            if (r > 0)
            {
                fitRates.Add(f);
                handRates.Add(h);
                distillRates.Add(d);
            }
        }
        Row("Fit samples/s ÷ GEMM limit, 784-800-800-10", Percent(Median(fitRates) / (BatchSize / fitGemm)), "≥ 90%");
        Row("Distill samples/s ÷ GEMM limit (teacher forward included, not cached)",
            Percent(Median(distillRates) / (BatchSize / (fitGemm + teacherGemm))), "≥ 90%");
        Row("  hand-written hard-label loop, samples/s ÷ GEMM limit", Percent(Median(handRates) / (BatchSize / fitGemm)), "");
        Row("  (GEMM limit of Fit, samples/s)", (BatchSize / fitGemm).ToString("N0", CultureInfo.InvariantCulture), "");
    }

    /// <summary>Seconds for one batch's matrix products through <paramref name="layers"/>, median of many.</summary>
    private static double GemmSeconds(int[] layers, bool training, int repetitions)
    {
        using var scope = NewDisposeScope();
        var shapes = new List<(Tensor A, Tensor B)>();
        for (int i = 1; i < layers.Length; i++)
        {
            int input = layers[i - 1], output = layers[i];
            shapes.Add((randn(BatchSize, input), randn(input, output)));          // forward
            if (training)
            {
                shapes.Add((randn(output, BatchSize), randn(BatchSize, input)));  // weight gradient
                if (i > 1)
                {
                    shapes.Add((randn(BatchSize, output), randn(output, input))); // input gradient
                }
            }
        }
        var times = new List<double>();
        for (int r = 0; r < 20 * repetitions + 5; r++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var (a, b) in shapes)
            {
                a.matmul(b).Dispose();
            }
            if (r >= 5)
            {
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }
        return Median(times);
    }

    /// <summary>Resident memory of the process at the end of each of 12 distillation epochs.</summary>
    private static void MemoryOverEpochs(LabeledDataset train, BenchTeacher teacher, TrainingOptions options)
    {
        manual_seed(5);
        using var student = new BenchStudent();
        var resident = new Dictionary<int, long>();
        var record = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.IsEndOfEpoch)
            {
                resident[p.Epoch] = Process.GetCurrentProcess().WorkingSet64;
            }
        });
        student.Distill(teacher, train, options with { Epochs = 12, Progress = record, CacheTeacherOutputs = false });
        double growth = (double)(resident[12] - resident[2]) / resident[2];
        Row("Resident memory growth from epoch 2 to epoch 12 of Distill", Percent(growth), "< 5%");
        Row("  (resident memory at epoch 2 → 12, MB)", $"{resident[2] / 1048576.0:F0} → {resident[12] / 1048576.0:F0}", "");
    }

    private static double MeanEpochSeconds(TrainingReport report) => report.Epochs.Average(e => e.Duration.TotalSeconds);

    private static void Row(string what, string value, string target) => Console.WriteLine($"| {what} | {value} | {target} |");

    private static string Ratio(double value) => value.ToString("F3", CultureInfo.InvariantCulture) + "×";

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("F3", CultureInfo.InvariantCulture) + " s";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
