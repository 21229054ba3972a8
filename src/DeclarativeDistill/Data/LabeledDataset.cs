using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Examples and their class labels, held as two tensors: features float32 <c>[N, D]</c> (vectors) or
/// <c>[N, C, H, W]</c> (images), and labels int64 <c>[N]</c>. Validated on construction. It owns the tensors it is given: they are detached from
/// any dispose scope, and <see cref="Dispose"/> frees them.
/// </summary>
public sealed class LabeledDataset : IDisposable
{
    /// <summary>Wraps <paramref name="features"/> and <paramref name="labels"/> after checking them.</summary>
    /// <param name="features">float32 <c>[N, D]</c> or <c>[N, C, H, W]</c>, finite values.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">The number of classes; default: the largest label + 1.</param>
    /// <exception cref="ArgumentException">A shape, type or value is wrong; the message says which.</exception>
    public LabeledDataset(Tensor features, Tensor labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() is not (2 or 4))
        {
            throw new ArgumentException(
                $"Features must be a 2-D tensor [N, D] or a 4-D tensor of images [N, C, H, W]; got shape [{string.Join(", ", features.shape)}].", nameof(features));
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
        if (features.shape.Any(size => size == 0))
        {
            throw new ArgumentException($"A dataset needs at least one example of at least one feature; got [{string.Join(", ", features.shape)}].", nameof(features));
        }
        if (features.shape.Skip(1).Any(size => size > int.MaxValue) || features.shape.Skip(1).Aggregate(1L, (p, size) => p * size) > int.MaxValue)
        {
            throw new ArgumentException($"An example of shape [{string.Join(", ", features.shape.Skip(1))}] has more than {int.MaxValue:N0} features.", nameof(features));
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
        Shape = FeatureShape.OfBatch(features)!; // checked above: 2 or 4 dimensions, positive, at most int.MaxValue per example
    }

    /// <summary>float32 <c>[N, D]</c> or <c>[N, C, H, W]</c>.</summary>
    public Tensor Features { get; }

    /// <summary>The shape of one example: <c>784</c> for rows of 784 features, <c>1x28x28</c> for images.</summary>
    public FeatureShape Shape { get; }

    /// <summary>int64 <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>N, the number of examples.</summary>
    public int Count => checked((int)Features.shape[0]);

    /// <summary>The number of features of one example: D, or C·H·W for images.</summary>
    public int FeatureSize => Shape.Size;

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

    /// <summary>
    /// The same examples and labels with each example viewed as <paramref name="shape"/> (e.g. rows of 784 pixels as
    /// <c>1x28x28</c> images, or images flattened to <c>784</c>): a new dataset over the same memory.
    /// </summary>
    /// <exception cref="ArgumentException">The shape has another number of features.</exception>
    public LabeledDataset WithShape(FeatureShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Size != FeatureSize)
        {
            throw new ArgumentException($"Examples of {Shape.Describe()} cannot be viewed as {shape.Describe()}.", nameof(shape));
        }
        return new LabeledDataset(Features.reshape(shape.BatchShape(Count)), Labels.alias(), ClassCount);
    }

    /// <summary>Frees the two tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Shape.IsImage
        ? $"LabeledDataset({Count} examples of {Shape}, {ClassCount} classes)"
        : $"LabeledDataset({Count} examples × {FeatureSize} features, {ClassCount} classes)";
}
