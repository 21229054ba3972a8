namespace Samples.Mnist;

/// <summary>
/// The training budget of the comparison. Every student gets the same epochs, batches, seed, initial weights
/// and optimiser with and without distillation; the loss differs, and each method has the learning rate that
/// suits it best. README.md ("How the recipe was chosen") gives the measurements behind these numbers.
/// </summary>
public sealed record Recipe
{
    public static readonly Recipe Default = new();

    public int TeacherEpochs { get; init; } = 60;

    public int StudentEpochs { get; init; } = 30;

    public int BatchSize { get; init; } = 128;

    /// <summary>SGD learning rate of the teacher (cosine decay to zero, momentum 0.9).</summary>
    public double TeacherLearningRate { get; init; } = 0.05;

    /// <summary>Learning rate of the students trained on hard labels: the best of 0.05 to 0.5 for them.</summary>
    public double BaselineLearningRate { get; init; } = 0.2;

    /// <summary>
    /// Learning rate of the distilled students: the best of 0.02 to 0.2 for them. Lower than the
    /// baselines' because the T²-scaled soft loss has larger gradients early in training.
    /// </summary>
    public double DistillLearningRate { get; init; } = 0.05;

    /// <summary>Epochs of the conv teacher: as many as a student's; it needs fewer than the MLP teacher.</summary>
    public int ConvTeacherEpochs { get; init; } = 30;

    /// <summary>
    /// Learning rate of the conv student, with and without distillation: the best of 0.02, 0.05 and 0.1 for both.
    /// </summary>
    public double ConvStudentLearningRate { get; init; } = 0.05;

    public long Seed { get; init; } = 1;

    /// <summary>Jitter for the teacher's inputs: random shifts of up to this many pixels, as in the paper.</summary>
    public int TeacherJitter { get; init; } = 2;
}
