using System;

namespace DeclarativeDistill;

/// <summary>The training loss became NaN or infinite; the learning rate is usually too high.</summary>
public sealed class TrainingDivergedException : Exception
{
    internal TrainingDivergedException(int epoch, int batch, double loss)
        : base($"Training diverged in epoch {epoch}, batch {batch}: the loss is {loss}. Lower the learning rate, or check the data.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (from 1) in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1) at which divergence was detected.</summary>
    public int Batch { get; }

    /// <summary>The loss observed.</summary>
    public double Loss { get; }
}
