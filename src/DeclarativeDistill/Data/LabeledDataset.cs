using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Examples and their class labels, held as two tensors: features float32 <c>[N, D]</c> and labels
/// int64 <c>[N]</c>. Validated on construction. It owns the tensors it is given: they are detached from
/// any dispose scope, and <see cref="Dispose"/> frees them.
/// </summary>
public sealed class LabeledDataset : IDisposable
{
    /// <summary>Wraps <paramref name="features"/> and <paramref name="labels"/> after checking them.</summary>
    /// <param name="features">float32 <c>[N, D]</c>, finite values.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">The number of classes; default: the largest label + 1.</param>
    /// <exception cref="ArgumentException">A shape, type or value is wrong; the message says which.</exception>
    public LabeledDataset(Tensor features, Tensor labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2)
        {
            throw new ArgumentException($"Features must be a 2-D tensor [N, D]; got shape [{string.Join(", ", features.shape)}].", nameof(features));
        }
        if (features.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Features must be float32; got {features.dtype}.", nameof(features));
        }
        if (labels.dim() != 1)
        {
            throw new ArgumentException($"Labels must be a 1-D tensor [N]; got shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        }
        if (labels.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Labels must be int64; got {labels.dtype}.", nameof(labels));
        }
        if (features.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"Features have {features.shape[0]} rows but there are {labels.shape[0]} labels.", nameof(labels));
        }
        if (features.shape[0] == 0 || features.shape[1] == 0)
        {
            throw new ArgumentException($"A dataset needs at least one example of at least one feature; got [{string.Join(", ", features.shape)}].", nameof(features));
        }

        long smallest, largest;
        bool finite;
        using (torch.no_grad())
        using (NewDisposeScope())
        {
            smallest = labels.min().item<long>();
            largest = labels.max().item<long>();
            finite = features.isfinite().all().item<bool>();
        }
        if (smallest < 0)
        {
            throw new ArgumentException($"Labels must be class indices from 0; found {smallest}.", nameof(labels));
        }
        if (!finite)
        {
            throw new ArgumentException("Features contain NaN or infinite values.", nameof(features));
        }
        if (largest >= int.MaxValue)
        {
            throw new ArgumentException($"Labels must be class indices below {int.MaxValue}; found {largest}.", nameof(labels));
        }
        if (classCount is { } declared && largest >= declared)
        {
            throw new ArgumentException($"Label {largest} is out of range for {declared} classes.", nameof(labels));
        }

        // The dataset owns its tensors: they must outlive any dispose scope it was built in.
        Features = features.contiguous().DetachFromDisposeScope();
        Labels = labels.contiguous().DetachFromDisposeScope();
        ClassCount = classCount ?? checked((int)largest + 1);
    }

    /// <summary>float32 <c>[N, D]</c>.</summary>
    public Tensor Features { get; }

    /// <summary>int64 <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>N, the number of examples.</summary>
    public int Count => checked((int)Features.shape[0]);

    /// <summary>D, the width of one example.</summary>
    public int FeatureSize => checked((int)Features.shape[1]);

    /// <summary>The number of classes (given, or the largest label + 1).</summary>
    public int ClassCount { get; }

    /// <summary>The examples <c>[start, start + count)</c> as a new dataset with its own copy of the data.</summary>
    public LabeledDataset Slice(int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Cannot take {count} examples from {start} in a dataset of {Count}.");
        }
        return new LabeledDataset(Features.narrow(0, start, count).clone(), Labels.narrow(0, start, count).clone(), ClassCount);
    }

    /// <summary>Frees the two tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"LabeledDataset({Count} examples × {FeatureSize} features, {ClassCount} classes)";
}
