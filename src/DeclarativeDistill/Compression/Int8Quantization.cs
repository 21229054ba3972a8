using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// Post-training int8 quantization of weights: every fully connected and convolution weight becomes int8 with
/// one float32 scale per output channel, symmetric around zero (<c>w ≈ q · scale</c>, q in −127..127,
/// scale = max |w| of the channel / 127). Biases and batch norm stay float32; activations stay float32, as in
/// PyTorch's dynamic quantization of weights.
/// <para>
/// Why symmetric: zero stays exactly zero (a pruned weight stays pruned) and integer kernels need no
/// zero-point correction. Why per output channel: the channels of one layer differ in range by an order
/// of magnitude or more, and one scale per tensor would spend the small channels' 8 bits on the large ones'
/// range. The rounding error of each weight is at most half its channel's scale.
/// </para>
/// </summary>
public static class Int8Quantization
{
    private const int Levels = 127;

    /// <summary>Quantizes the weights of <paramref name="model"/> (which is not changed).</summary>
    /// <exception cref="ArgumentException">The model has no fully connected or convolution layer.</exception>
    public static QuantizedWeights Quantize(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = CompressibleLayers.Weights(model);
        if (weights.Count == 0)
        {
            throw new ArgumentException($"{model.GetName()} has no fully connected or convolution layer to quantize.", nameof(model));
        }
        var layers = new List<QuantizedLayer>();
        using var _ = no_grad();
        foreach (var (key, weight) in weights)
        {
            using var scope = NewDisposeScope();
            var w = weight.detach().cpu();
            var (q, scales) = PerRow(w.reshape(w.shape[0], -1));
            layers.Add(new QuantizedLayer(key, q.reshape(w.shape).MoveToOuterDisposeScope(), scales.MoveToOuterDisposeScope()));
        }
        long dense = CompressibleLayers.DenseBytes(model);
        long weightBytes = weights.Sum(w => w.Weight.numel() * w.Weight.ElementSize);
        long quantizedBytes = layers.Sum(l => l.Values.numel() + l.Scales.numel() * sizeof(float));
        return new QuantizedWeights(layers, dense, dense - weightBytes + quantizedBytes);
    }

    /// <summary>
    /// Each row of <paramref name="rows"/> [channels, n] as int8, symmetric: scale = max |row| / <paramref name="levels"/>
    /// (an all-zero row gets scale 1: any scale gives q = 0), q = round(w / scale) in −levels..levels. Also what the
    /// static int8 export applies to the weights it quantizes (7 bits with reduced range).
    /// </summary>
    internal static (Tensor Values, Tensor Scales) PerRow(Tensor rows, int levels = Levels)
    {
        using var scope = NewDisposeScope();
        var scales = rows.abs().amax(new long[] { 1 }).div_(levels);
        scales = where(scales.gt(0), scales, ones_like(scales));
        var q = rows.div(scales.unsqueeze(1)).round_().clamp_(-levels, levels).to_type(ScalarType.Int8);
        return (q.MoveToOuterDisposeScope(), scales.contiguous().MoveToOuterDisposeScope());
    }
}

/// <summary>One layer's int8 weights and per-output-channel scales: <c>weight ≈ Values · Scales[channel]</c>.</summary>
/// <param name="Key">The weight's state_dict key, e.g. <c>conv1.weight</c>.</param>
/// <param name="Values">int8, the weight's shape.</param>
/// <param name="Scales">float32 <c>[output channels]</c>.</param>
public sealed record QuantizedLayer(string Key, Tensor Values, Tensor Scales)
{
    /// <summary>The float32 weight these values stand for: <c>Values · Scales[channel]</c>.</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        var shape = Values.shape.Select((_, i) => i == 0 ? Values.shape[0] : 1L).ToArray();
        return Values.to_type(ScalarType.Float32).mul_(Scales.reshape(shape)).MoveToOuterDisposeScope();
    }
}

/// <summary>A model's weights quantized to int8 (<see cref="Int8Quantization.Quantize"/>), with their size.</summary>
public sealed class QuantizedWeights : IDisposable
{
    internal QuantizedWeights(IReadOnlyList<QuantizedLayer> layers, long floatBytes, long bytes)
    {
        Layers = layers;
        FloatSizeInBytes = floatBytes;
        SizeInBytes = bytes;
    }

    /// <summary>Every quantized weight, in module order.</summary>
    public IReadOnlyList<QuantizedLayer> Layers { get; }

    /// <summary>Bytes of the model's parameters and buffers in float32, before quantization.</summary>
    public long FloatSizeInBytes { get; }

    /// <summary>Bytes after quantization: int8 weights, their float32 scales, and everything else in float32.</summary>
    public long SizeInBytes { get; }

    /// <summary>
    /// Writes the dequantized weights (<c>q · scale</c>) into <paramref name="model"/>, a network of the same
    /// architecture (usually a copy of the one quantized): it then computes what an int8-weight model computes,
    /// to float32 rounding of its activations.
    /// </summary>
    /// <exception cref="ArgumentException">A weight is missing from the model or has another shape; the message names it.</exception>
    public void ApplyTo(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var layer in Layers)
        {
            if (!parameters.TryGetValue(layer.Key, out var weight) || !weight.shape.AsSpan().SequenceEqual(layer.Values.shape))
            {
                throw new ArgumentException(
                    weight is null
                        ? $"{model.GetName()} has no weight {layer.Key}."
                        : $"{model.GetName()}'s {layer.Key} is [{string.Join(", ", weight.shape)}] but the quantized one is [{string.Join(", ", layer.Values.shape)}].",
                    nameof(model));
            }
        }
        using var _ = no_grad();
        foreach (var layer in Layers)
        {
            using var dequantized = layer.Dequantize();
            parameters[layer.Key].copy_(dequantized);
        }
    }

    /// <summary>Frees the int8 values and scales.</summary>
    public void Dispose()
    {
        foreach (var layer in Layers)
        {
            layer.Values.Dispose();
            layer.Scales.Dispose();
        }
    }
}
