using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>How many bytes a model's parameters and buffers take, stored densely or with its zeros left out.</summary>
public static class ModelSize
{
    /// <summary>Every parameter and buffer as stored: 4 bytes per float32 value.</summary>
    public static long Dense(Model model)
    {
        System.ArgumentNullException.ThrowIfNull(model);
        return CompressibleLayers.DenseBytes(model);
    }

    /// <summary>
    /// The size with each fully connected and convolution weight in a sparse encoding where that is smaller: a
    /// bitmap of which entries are non-zero (one bit each) followed by the non-zero values in float32. Everything
    /// else is counted densely. A pruned model's size; for a dense one it equals <see cref="Dense"/>.
    /// </summary>
    public static long Sparse(Model model)
    {
        System.ArgumentNullException.ThrowIfNull(model);
        long saved = 0;
        using var _ = no_grad();
        foreach (var (_, weight) in CompressibleLayers.Weights(model))
        {
            long count = weight.numel();
            long nonZero;
            using (var n = weight.count_nonzero())
            {
                nonZero = n.item<long>();
            }
            long dense = count * weight.ElementSize;
            long sparse = (count + 7) / 8 + nonZero * weight.ElementSize;
            saved += System.Math.Max(0, dense - sparse);
        }
        return CompressibleLayers.DenseBytes(model) - saved;
    }
}
