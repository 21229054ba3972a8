using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// Unstructured magnitude pruning (as <c>torch.nn.utils.prune.l1_unstructured</c> does it, layer by layer):
/// in every fully connected and convolution weight, the given fraction of entries with the smallest magnitude
/// is set to zero. Biases and batch norm are kept. Fine-tune afterwards with the mask held fixed by passing it
/// as <see cref="TrainingOptions.Mask"/> to <c>Fit</c> or <c>Distill</c>.
/// </summary>
public static class MagnitudePruning
{
    /// <summary>
    /// Zeroes exactly ⌊sparsity · n + ½⌋ of the n entries of each fully connected and convolution weight of
    /// <paramref name="model"/>, those of smallest magnitude (ties broken by position), and returns the masks.
    /// </summary>
    /// <param name="model">Changed in place.</param>
    /// <param name="sparsity">The fraction of each weight to remove, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The sparsity is outside [0, 1).</exception>
    public static PruningMask Prune(Model model, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(sparsity >= 0 && sparsity < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), $"The sparsity must be in [0, 1); got {sparsity}.");
        }
        var masks = new List<(string Key, Tensor Mask)>();
        using (no_grad())
        {
            foreach (var (key, weight) in CompressibleLayers.Weights(model))
            {
                using var scope = NewDisposeScope();
                long count = weight.numel();
                long removed = (long)Math.Round(sparsity * count, MidpointRounding.AwayFromZero);
                var mask = ones(count, ScalarType.Float32);
                if (removed > 0)
                {
                    var order = weight.detach().abs().flatten().cpu().sort(stable: true).Indices;
                    mask.index_fill_(0, order.narrow(0, 0, removed), 0);
                }
                masks.Add((key, mask.reshape(weight.shape).MoveToOuterDisposeScope()));
            }
        }
        var result = new PruningMask(masks);
        result.Apply(model);
        return result;
    }
}

/// <summary>
/// Which weights pruning removed: a 0/1 mask per fully connected and convolution weight, by state_dict key.
/// Passed as <see cref="TrainingOptions.Mask"/>, it holds the removed weights at zero through fine-tuning.
/// </summary>
public sealed class PruningMask : IDisposable
{
    internal PruningMask(IReadOnlyList<(string Key, Tensor Mask)> masks)
    {
        Masks = masks;
        long total = masks.Sum(m => m.Mask.numel());
        long kept = masks.Sum(m => { using var n = m.Mask.count_nonzero(); return n.item<long>(); });
        Sparsity = total == 0 ? 0 : (double)(total - kept) / total;
    }

    /// <summary>(state_dict key, float32 mask of the weight's shape: 1 kept, 0 removed).</summary>
    public IReadOnlyList<(string Key, Tensor Mask)> Masks { get; }

    /// <summary>The fraction of the masked weights' entries that are removed.</summary>
    public double Sparsity { get; }

    /// <summary>Sets the removed weights of <paramref name="model"/> (of the pruned architecture) to zero.</summary>
    /// <exception cref="ArgumentException">A masked weight is missing from the model or has another shape.</exception>
    public void Apply(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (weight, mask) in Bind(model))
        {
            using var _ = no_grad();
            weight.mul_(mask.device == weight.device ? mask : mask.to(weight.device));
        }
    }

    /// <summary>Each masked parameter of <paramref name="model"/> with its mask, checked.</summary>
    internal List<(Tensor Weight, Tensor Mask)> Bind(Model model)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var bound = new List<(Tensor, Tensor)>();
        foreach (var (key, mask) in Masks)
        {
            if (!parameters.TryGetValue(key, out var weight))
            {
                throw new ArgumentException($"{model.GetName()} has no weight {key} to mask.", nameof(model));
            }
            if (!weight.shape.AsSpan().SequenceEqual(mask.shape))
            {
                throw new ArgumentException(
                    $"{model.GetName()}'s {key} is [{string.Join(", ", weight.shape)}] but its mask is [{string.Join(", ", mask.shape)}].", nameof(model));
            }
            bound.Add((weight, mask));
        }
        return bound;
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"mask of {Masks.Count} weights, {Sparsity:P1} removed");

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        foreach (var (_, mask) in Masks)
        {
            mask.Dispose();
        }
    }
}
