using System;
using System.Collections.Generic;
using System.Globalization;
using DeclarativeDistill.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Architecture;

/// <summary>
/// The analysis of an architecture: walks the items left to right with the shape of one example, applying one
/// rule per layer kind. Each rule checks that the item can read the shape it gets, and gives the shape it
/// makes, its parameters and its multiply-adds; the walk also places the activation (after the bn that directly
/// follows a convolution or hidden layer), the class's dropout, biases and field names.
/// </summary>
internal static class ShapeRules
{
    /// <summary>What is wrong, where in the string, with which descriptor: the message is complete.</summary>
    public sealed record Problem(DiagnosticDescriptor Descriptor, int Start, int Length, string Message);

    /// <summary>
    /// The analysed layers, or the first problem. A count that overflows 64 bits is reported with
    /// <see cref="DiagnosticDescriptors.NetworkTooLarge"/>, which names the whole list rather than one item.
    /// </summary>
    public static (IReadOnlyList<Layer>? Layers, Problem? Problem) Analyse(ArchitectureParser.Items items, double dropout)
    {
        var specs = items.Layers;
        var layers = new List<Layer>(specs.Count + 1);
        var counters = new Dictionary<string, int>();
        var shape = items.Input.Shape;
        if (shape.IsImage && shape.Size > int.MaxValue)
        {
            return (null, TooLarge(items.Input, FormattableString.Invariant($"the input {shape} has {shape.Size:N0} features, more than a tensor row can hold")));
        }
        try
        {
            for (int i = 0; i < specs.Count; i++)
            {
                var spec = specs[i];
                bool last = i == specs.Count - 1;
                bool bnFollows = !last && specs[i + 1] is BatchNormSpec;
                if (spec is DenseSpec && shape.IsImage)
                {
                    var flatten = new FlattenSpec(Implicit: true, spec.Start, spec.Length);
                    layers.Add(Plain(flatten, shape, TensorShape.Vector(shape.Size)));
                    shape = TensorShape.Vector(shape.Size);
                }

                var (layer, problem) = spec switch
                {
                    DenseSpec dense => Dense(dense, shape, last, bnFollows, dropout, counters),
                    ConvSpec conv => Convolution(conv, shape, bnFollows, counters),
                    PoolSpec pool => Pool(pool, shape),
                    BatchNormSpec bn => BatchNorm(bn, shape, layers.Count > 0 ? layers[layers.Count - 1] : null, dropout, counters),
                    ResidualSpec residual => Residual(residual, shape, counters),
                    GlobalAvgPoolSpec gap => NeedsImage(gap, shape) ?? (Plain(gap, shape, TensorShape.Vector(shape.Channels)), null),
                    FlattenSpec flatten => NeedsImage(flatten, shape) ?? (Plain(flatten, shape, TensorShape.Vector(shape.Size)), null),
                    DropoutSpec drop => (Plain(drop, shape, shape) with { Field = Next(counters, "dropout") }, null),
                    _ => (null, new Problem(DiagnosticDescriptors.MalformedLayers, spec.Start, spec.Length, $"'{spec.Text}' is not a layer")),
                };
                if (problem is not null)
                {
                    return (null, problem);
                }
                if (layer!.Output.Size > int.MaxValue)
                {
                    return (null, TooLarge(spec, FormattableString.Invariant($"{spec.Text} makes {layer.Output} = {layer.Output.Size:N0} features per example, more than a tensor row can hold")));
                }
                if (last && spec is not DenseSpec)
                {
                    return (null, new Problem(DiagnosticDescriptors.LastLayerNotDense, spec.Start, spec.Length,
                        $"the last item must be a fully connected layer whose width is the number of classes; found {spec.Text} (the output here is {layer.Output.Describe()})"));
                }
                layers.Add(layer);
                shape = layer.Output;
            }
        }
        catch (OverflowException)
        {
            return (null, Overflow(items));
        }
        long parameters = 0, multiplyAdds = 0;
        try
        {
            foreach (var layer in layers)
            {
                parameters = checked(parameters + layer.Parameters);
                multiplyAdds = checked(multiplyAdds + layer.MultiplyAdds);
            }
        }
        catch (OverflowException)
        {
            return (null, Overflow(items));
        }
        return (layers, null);
    }

    private static Problem Overflow(ArchitectureParser.Items items) =>
        new(DiagnosticDescriptors.NetworkTooLarge, items.Input.Start, 0, "the network has more parameters or multiply-adds than a 64-bit count can hold");

    private static Problem TooLarge(LayerSpec spec, string message) =>
        new(DiagnosticDescriptors.LayerTooLarge, spec.Start, spec.Length, message);

    /// <summary><c>N</c>: in × N weights and N biases; the last one is <c>output</c>, the others <c>hidden1</c>, <c>hidden2</c>, ...</summary>
    private static (Layer?, Problem?) Dense(DenseSpec spec, TensorShape input, bool last, bool bnFollows, double dropout, Dictionary<string, int> counters)
    {
        long weights = checked(input.Size * spec.Units);
        bool activated = !last && !bnFollows;
        return (new Layer(spec, input, TensorShape.Vector(spec.Units), last ? "output" : Next(counters, "hidden"),
            checked(weights + spec.Units), weights, Bias: true, activated, Dropped: activated && dropout > 0), null);
    }

    /// <summary>
    /// <c>conv(C, K)</c> and <c>dwconv(K)</c>: out = ⌊(in + 2·pad − K) / stride⌋ + 1 in each dimension. A depthwise
    /// convolution keeps its input's channels and convolves each with its own K×K filter (groups = channels).
    /// </summary>
    private static (Layer?, Problem?) Convolution(ConvSpec spec, TensorShape input, bool bnFollows, Dictionary<string, int> counters)
    {
        if (NeedsImage(spec, input) is { } notAnImage)
        {
            return notAnImage;
        }
        long padded = Math.Min(input.Height, input.Width) + 2 * spec.Pad;
        if (padded < spec.Kernel)
        {
            string padding = spec.Pad == 0 ? "" : $" with pad {spec.Pad}";
            return (null, new Problem(DiagnosticDescriptors.LayerDoesNotFit, spec.Start, spec.Length,
                $"{spec.Text} needs at least {spec.Kernel}x{spec.Kernel}{padding} but the input here is {input}"));
        }
        long channels = spec.Depthwise ? input.Channels : spec.Channels;
        long inputsPerOutput = spec.Depthwise ? 1 : input.Channels;
        var output = TensorShape.Image(channels,
            (input.Height + 2 * spec.Pad - spec.Kernel) / spec.Stride + 1,
            (input.Width + 2 * spec.Pad - spec.Kernel) / spec.Stride + 1);
        long weights = checked(channels * inputsPerOutput * spec.Kernel * spec.Kernel);
        long multiplyAdds = checked(weights * output.Height * output.Width);
        bool bias = !bnFollows;
        return (new Layer(spec, input, output, Next(counters, spec.Depthwise ? "dwconv" : "conv"),
            checked(weights + (bias ? channels : 0)), multiplyAdds, bias, Activated: !bnFollows, Dropped: false), null);
    }

    /// <summary><c>maxpool(K)</c>, <c>avgpool(K)</c>: out = ⌊(in − K) / stride⌋ + 1; the window must fit.</summary>
    private static (Layer?, Problem?) Pool(PoolSpec spec, TensorShape input)
    {
        if (NeedsImage(spec, input) is { } notAnImage)
        {
            return notAnImage;
        }
        if (input.Height < spec.Kernel || input.Width < spec.Kernel)
        {
            return (null, new Problem(DiagnosticDescriptors.LayerDoesNotFit, spec.Start, spec.Length,
                $"{spec.Text} needs at least {spec.Kernel}x{spec.Kernel} but the input here is {input}"));
        }
        var output = TensorShape.Image(input.Channels, (input.Height - spec.Kernel) / spec.Stride + 1, (input.Width - spec.Kernel) / spec.Stride + 1);
        return (Plain(spec, input, output), null);
    }

    /// <summary>
    /// <c>bn</c>: a scale and a shift per channel (or feature). Directly after a convolution or a hidden fully
    /// connected layer, the activation (and the class's dropout) that layer would have had comes after the bn.
    /// </summary>
    private static (Layer?, Problem?) BatchNorm(BatchNormSpec spec, TensorShape input, Layer? before, double dropout, Dictionary<string, int> counters)
    {
        bool takesActivation = before is { Spec: ConvSpec or DenseSpec, Activated: false } && before.Field != "output";
        bool takesDropout = takesActivation && before!.Spec is DenseSpec && dropout > 0;
        return (new Layer(spec, input, input, Next(counters, "bn"), checked(2 * input.Channels), 0, Bias: false,
            Activated: takesActivation, Dropped: takesDropout), null);
    }

    /// <summary>
    /// <c>res(C, stride: S)</c>: 3×3 conv (stride S, pad 1) → bn → activation → 3×3 conv (pad 1) → bn, plus the
    /// shortcut (a 1×1 conv with stride S and bn when C or the size changes), then the activation.
    /// </summary>
    private static (Layer?, Problem?) Residual(ResidualSpec spec, TensorShape input, Dictionary<string, int> counters)
    {
        if (NeedsImage(spec, input) is { } notAnImage)
        {
            return notAnImage;
        }
        long channels = spec.Channels;
        var output = TensorShape.Image(channels, (input.Height - 1) / spec.Stride + 1, (input.Width - 1) / spec.Stride + 1);
        long positions = checked(output.Height * output.Width);
        long conv1 = checked(channels * input.Channels * 9);
        long conv2 = checked(channels * channels * 9);
        bool projection = spec.Stride != 1 || input.Channels != channels;
        long shortcut = projection ? checked(channels * input.Channels) : 0;
        long parameters = checked(conv1 + conv2 + shortcut + 2 * channels * (projection ? 3 : 2));
        long multiplyAdds = checked((conv1 + conv2 + shortcut) * positions);
        return (new Layer(spec, input, output, Next(counters, "res"), parameters, multiplyAdds, Bias: false, Activated: false, Dropped: false), null);
    }

    private static (Layer?, Problem?)? NeedsImage(LayerSpec spec, TensorShape input) =>
        input.IsImage
            ? null
            : (null, new Problem(DiagnosticDescriptors.ImageLayerOnVector, spec.Start, spec.Length,
                $"{spec.Text} needs an image (channels x height x width) but the input here is {input.Describe()}"));

    private static Layer Plain(LayerSpec spec, TensorShape input, TensorShape output) =>
        new(spec, input, output, null, 0, 0, Bias: false, Activated: false, Dropped: false);

    private static string Next(Dictionary<string, int> counters, string prefix)
    {
        counters.TryGetValue(prefix, out int count);
        counters[prefix] = ++count;
        return prefix + count.ToString(CultureInfo.InvariantCulture);
    }
}
