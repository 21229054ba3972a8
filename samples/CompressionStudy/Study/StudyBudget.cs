namespace Samples.CompressionStudy.Study;

/// <summary>How much the study trains. The defaults fit the embedded digits into about six minutes on 2 cores.</summary>
public sealed record StudyBudget
{
    public int MlpEpochs { get; init; } = 20;

    public int CnnEpochs { get; init; } = 12;

    public int ResNetEpochs { get; init; } = 10;

    /// <summary>Fractions of each fully connected and convolution weight that pruning removes.</summary>
    public double[] Sparsities { get; init; } = { 0.5, 0.8, 0.95 };

    /// <summary>Epochs of fine-tuning under the fixed mask after pruning.</summary>
    public int FineTuneEpochs { get; init; } = 2;

    /// <summary>Learning rate of that fine-tuning (cosine to zero): a tenth of a first training's.</summary>
    public double FineTuneLearningRate { get; init; } = 0.01;

    public int BatchSize { get; init; } = 128;

    public long Seed { get; init; } = 1;

    /// <summary>Scales every epoch count (at least one epoch each): 0.5 for a quick look, 2 for a longer study.</summary>
    public StudyBudget Scaled(double factor) => this with
    {
        MlpEpochs = Scale(MlpEpochs, factor),
        CnnEpochs = Scale(CnnEpochs, factor),
        ResNetEpochs = Scale(ResNetEpochs, factor),
    };

    private static int Scale(int epochs, double factor) => System.Math.Max(1, (int)System.Math.Round(epochs * factor));
}
