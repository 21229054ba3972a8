using System;
using System.Threading;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>How the learning rate moves over a run.</summary>
public enum LearningRateSchedule
{
    /// <summary>Cosine decay from <see cref="TrainingOptions.LearningRate"/> to zero over all batches (the default).</summary>
    Cosine,

    /// <summary>The same learning rate throughout.</summary>
    Constant,
}

/// <summary>
/// Settings of <c>Fit</c> and <c>Distill</c>: stochastic gradient descent with momentum (as in Hinton et al.),
/// mini-batches drawn from a seeded permutation.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per mini-batch. Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Initial learning rate of SGD. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>SGD momentum in [0, 1). Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Learning-rate schedule. Default <see cref="LearningRateSchedule.Cosine"/>.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>
    /// Seeds the batch order and TorchSharp's global generator (dropout, augmentation) at the start of
    /// training, so that the same seed, data and initial weights give the same result. Default 42.
    /// </summary>
    /// <remarks>
    /// TorchSharp draws dropout masks from one generator per process, with no way to pass another. Two
    /// trainings that run at the same time on different threads therefore take turns drawing from it: both
    /// train correctly, but a model with dropout or augmentation is then not reproducible from its seed.
    /// Run trainings one after another where results must be reproducible (libtorch already spreads one
    /// training over every core).
    /// </remarks>
    public long Seed { get; init; } = 42;

    /// <summary>
    /// A transform applied to every training batch of features, which returns a batch of the same shape
    /// (rows <c>[B, D]</c> or images <c>[B, C, H, W]</c>, as the dataset holds them), e.g.
    /// <see cref="Augmentations.RandomShift(int, int, int)"/>, <see cref="Augmentations.RandomCrop"/> or
    /// <see cref="Augmentations.HorizontalFlip"/>. Default none.
    /// </summary>
    public Func<Tensor, Tensor>? Augment { get; init; }

    /// <summary>
    /// In <c>Distill</c>, compute the teachers' outputs once and reuse them every epoch. Applies only
    /// without <see cref="Augment"/> (augmented inputs differ every epoch). Default true.
    /// </summary>
    public bool CacheTeacherOutputs { get; init; } = true;

    /// <summary>
    /// Memory, in bytes, that data not held in memory (a <see cref="DataSource"/> on disk: an image folder, a memory-mapped
    /// array) may take while training: batches read ahead of the training thread, and the teachers' outputs cached for the
    /// transfer set (computed per batch instead when they would not fit; a <see cref="TeacherOutputStore"/> keeps them on
    /// disk). The model, its optimizer and libtorch's own buffers are not counted. Default 512 MiB.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 512L << 20;

    /// <summary>
    /// Background workers that read and decode batches of data not held in memory, ahead of training. Default:
    /// <see cref="Threads"/> when set, else the number of processors (decoding images is work for every core; a
    /// memory-mapped array needs one).
    /// </summary>
    public int DataWorkers
    {
        get => dataWorkers ?? Threads ?? Environment.ProcessorCount;
        init => dataWorkers = value;
    }

    private readonly int? dataWorkers;

    /// <summary>
    /// In <c>Distill</c>, the teachers' outputs computed beforehand and kept on disk (<see cref="TeacherOutputStore"/>),
    /// read a batch at a time instead of running the teachers or caching their outputs in memory: for transfer sets whose
    /// teacher outputs do not fit in memory, or were computed on other machines. The store must have been made from the
    /// same teachers and transfer set, and hold every output the objective reads. Not with <see cref="Augment"/>. Default none.
    /// </summary>
    public TeacherOutputStore? TeacherOutputs { get; init; }

    /// <summary>
    /// Epochs of FitNets' first stage (the hint stage, <see cref="HintTraining.TwoStages"/>), which trains the student
    /// up to its guided layers on the hint terms before <see cref="Epochs"/> of distillation. Default null: as many as
    /// <see cref="Epochs"/>.
    /// </summary>
    public int? HintEpochs { get; init; }

    /// <summary>
    /// Initial learning rate of FitNets' first stage (the hint stage), which often wants another rate than the
    /// distillation after it. Default null: <see cref="LearningRate"/>.
    /// </summary>
    public double? HintLearningRate { get; init; }

    /// <summary>
    /// With hints, the teachers' hint outputs for the whole transfer set are computed once and reused every epoch when
    /// they take at most this many bytes (float32, N × the hint's elements, summed over hints), and when
    /// <see cref="CacheTeacherOutputs"/> applies; otherwise the hint teacher runs on every batch. Default 1 GiB.
    /// </summary>
    public long FeatureCacheBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Receives a report at the end of every epoch, every <see cref="ProgressIntervalBatches"/> batches, and during the
    /// phases before training (the teacher-output cache pass), each named by <see cref="TrainingProgress.Phase"/>.
    /// <see cref="ConsoleProgress"/> prints them; <see cref="LoggerProgress"/> logs them to an <c>ILogger</c>.
    /// </summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Batches between progress reports within an epoch; 0 (the default) reports epochs only.</summary>
    public int ProgressIntervalBatches { get; init; }

    /// <summary>Batches between progress reports within an epoch: the former name of <see cref="ProgressIntervalBatches"/>.</summary>
    [Obsolete("Use ProgressIntervalBatches: the interval counts batches.")]
    public int ProgressInterval
    {
        get => ProgressIntervalBatches;
        init => ProgressIntervalBatches = value;
    }

    /// <summary>
    /// Threads libtorch computes with during the call (its <c>set_num_threads</c>, restored afterwards); null (the
    /// default) keeps libtorch's own choice, one per core. On a machine shared with other work, or for small networks
    /// whose operations are too short to split, fewer threads can be much faster: every parallel operation waits for its
    /// slowest thread, and a thread the system schedules away stalls them all. Batches of data on disk are read by
    /// <see cref="DataWorkers"/> threads besides these.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Checked before every batch; cancelling throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Where to keep checkpoints (created if missing); none by default. When the directory holds a
    /// checkpoint of the same run (same model, data size and options), training resumes from it and
    /// ends with the weights an uninterrupted run would have had.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Epochs between checkpoints (the last epoch is always saved). Default 1.</summary>
    public int CheckpointInterval { get; init; } = 1;

    /// <summary>
    /// With <see cref="CheckpointDirectory"/>, also a checkpoint every this many batches within an epoch, so that a long
    /// epoch (a large data set streamed from disk) resumes at the exact batch it had reached; null for epoch ends only
    /// (the default). A checkpoint takes about the time of writing the weights and momentum.
    /// </summary>
    public int? CheckpointEveryBatches { get; init; }

    /// <summary>
    /// Where to train: the model (and in <c>Distill</c> the teachers) are moved there, and every batch.
    /// Default <c>torch.CPU</c>; <c>torch.CUDA</c> needs a CUDA build of libtorch (TorchSharp-cuda-*).
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Weights held at zero: after every optimizer step the weights a <see cref="MagnitudePruning"/> mask removed
    /// are set back to zero, so fine-tuning a pruned model keeps its sparsity exactly. Default none.
    /// </summary>
    public PruningMask? Mask { get; init; }

    internal void Validate()
    {
        Require(Epochs >= 0, nameof(Epochs), $"must not be negative; got {Epochs}");
        Require(BatchSize >= 1, nameof(BatchSize), $"must be at least 1; got {BatchSize}");
        // libtorch multiplies float32 weights by these: a double beyond float32's range fails inside it, and
        // a positive one below its smallest value becomes 0.
        Require(LearningRate > 0 && IsFloat32(LearningRate), nameof(LearningRate),
            $"must be positive and within float32's range ({float.Epsilon:R} to {float.MaxValue:R}); got {LearningRate}");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), $"must be in [0, 1); got {Momentum}");
        Require(WeightDecay == 0 || (WeightDecay > 0 && IsFloat32(WeightDecay)), nameof(WeightDecay),
            $"must be 0, or positive and within float32's range ({float.Epsilon:R} to {float.MaxValue:R}); got {WeightDecay}");
        Require(HintLearningRate is null || (HintLearningRate > 0 && IsFloat32(HintLearningRate.Value)), nameof(HintLearningRate),
            $"must be null, or positive and within float32's range ({float.Epsilon:R} to {float.MaxValue:R}); got {HintLearningRate}");
        Require(HintEpochs is null or >= 0, nameof(HintEpochs), $"must not be negative; got {HintEpochs}");
        Require(FeatureCacheBytes >= 0, nameof(FeatureCacheBytes), $"must not be negative; got {FeatureCacheBytes}");
        Require(ProgressIntervalBatches >= 0, nameof(ProgressIntervalBatches), $"must not be negative; got {ProgressIntervalBatches}");
        Require(Threads is null or >= 1, nameof(Threads), $"must be null or at least 1; got {Threads}");
        Require(CheckpointInterval >= 1, nameof(CheckpointInterval), $"must be at least 1; got {CheckpointInterval}");
        Require(CheckpointEveryBatches is null or >= 1, nameof(CheckpointEveryBatches), $"must be null or at least 1; got {CheckpointEveryBatches}");
        Require(Enum.IsDefined(Schedule), nameof(Schedule), $"is not a known schedule: {(int)Schedule}");
        Require(MemoryBudgetBytes > 0, nameof(MemoryBudgetBytes), $"must be positive; got {MemoryBudgetBytes}");
        Require(DataWorkers >= 1, nameof(DataWorkers), $"must be at least 1; got {DataWorkers}");
        Require(TeacherOutputs is null || Augment is null, nameof(TeacherOutputs),
            "cannot serve augmented batches (the store holds the teachers' outputs for the examples as they are); remove Augment or the store");
    }

    private static bool IsFloat32(double value) => (float)value is > 0 and <= float.MaxValue;

    private static void Require(bool condition, string option, string problem)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(option, $"TrainingOptions.{option} {problem}.");
        }
    }
}
