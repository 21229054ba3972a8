namespace Samples.Mnist;

/// <summary>
/// The training budget of the comparison. Every student gets the same epochs, seed and optimiser with and
/// without distillation; only the loss differs. README.md ("The MNIST sample") says how these were chosen.
/// </summary>
public sealed record Recipe
{
    public static readonly Recipe Default = new();

    public int TeacherEpochs { get; init; } = 60;

    public int StudentEpochs { get; init; } = 30;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 0.05;

    public long Seed { get; init; } = 1;

    /// <summary>Jitter for the teacher's inputs: random shifts of up to this many pixels, as in the paper.</summary>
    public int TeacherJitter { get; init; } = 2;
}
