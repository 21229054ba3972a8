using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The weights that quantization and pruning compress: those of every fully connected layer and every
/// convolution (including the ones inside residual blocks), by their state_dict key. Biases and batch-norm
/// parameters are few and stay in float32.
/// </summary>
internal static class CompressibleLayers
{
    /// <summary>
    /// (key, weight) of each compressible weight of <paramref name="model"/>, in forward order. A generated network's come
    /// from its description; a module written by hand has none, so its <c>Linear</c>, <c>Conv2d</c> and <c>Conv1d</c> modules are used.
    /// </summary>
    public static List<(string Key, Tensor Weight)> Weights(Model model)
    {
        if (model is IGeneratedNetwork generated)
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            return generated.Description.CompressibleWeights.Select(key => (key, parameters.TryGetValue(key, out var weight)
                    ? weight
                    : throw new System.ArgumentException($"{model.GetName()} has no weight {key}, which its description names.", nameof(model))))
                .ToList();
        }
        return model.named_modules()
            .Where(m => m.module is TorchSharp.Modules.Linear or TorchSharp.Modules.Conv2d or TorchSharp.Modules.Conv1d)
            .Select(m => (Key(m.name), Weight(m.module)))
            .ToList();
    }

    /// <summary>Bytes of every parameter and buffer as stored (float32 weights: 4 bytes each).</summary>
    public static long DenseBytes(Model model) =>
        model.parameters().Concat(model.buffers()).Sum(t => t.numel() * t.ElementSize);

    private static string Key(string module) => module.Length == 0 ? "weight" : module + ".weight";

    private static Tensor Weight(nn.Module module) => module switch
    {
        TorchSharp.Modules.Linear linear => linear.weight!,
        TorchSharp.Modules.Conv2d conv => conv.weight!,
        TorchSharp.Modules.Conv1d conv1d => conv1d.weight!,
        _ => throw new System.ArgumentException($"{module.GetName()} is not a fully connected or convolution layer."),
    };
}
