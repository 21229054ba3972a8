using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// FitNets' regressor: maps the output of the student's guided layer to the shape of the teacher's hint. A
/// convolution (no padding, stride 1) when both are feature maps, a linear layer applied to each step when both are
/// sequences of the same length (TinyBERT's projection of hidden states), a linear layer on the flattened output
/// otherwise; followed by the activation the hint ends in, if any, so that both sides are outputs of the same
/// nonlinearity (as the paper requires). The generator sizes it from the two layers' shapes.
/// </summary>
public sealed record HintRegressor
{
    private HintRegressor(bool convolution, long inputs, long outputs, long kernelHeight, long kernelWidth, Activation? activation, bool perStep = false)
    {
        if (inputs <= 0 || outputs <= 0 || kernelHeight <= 0 || kernelWidth <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs),
                FormattableString.Invariant($"A regressor's sizes must be positive; got {inputs} → {outputs}, kernel {kernelHeight}x{kernelWidth}."));
        }
        if (activation is { } kind && !Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), $"Not a known activation: {(int)kind}.");
        }
        IsConvolution = convolution;
        IsPerStep = perStep;
        Inputs = inputs;
        Outputs = outputs;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Activation = activation;
    }

    /// <summary>A convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> with a kernel of the given size, then <paramref name="activation"/>.</summary>
    public static HintRegressor Convolution(long inChannels, long outChannels, long kernelHeight, long kernelWidth, Activation? activation) =>
        new(true, inChannels, outChannels, kernelHeight, kernelWidth, activation);

    /// <summary>A linear layer from <paramref name="inFeatures"/> (the guided output, flattened) to <paramref name="outFeatures"/> (the hint, flattened), then <paramref name="activation"/>.</summary>
    public static HintRegressor Linear(long inFeatures, long outFeatures, Activation? activation) =>
        new(false, inFeatures, outFeatures, 1, 1, activation);

    /// <summary>
    /// A linear layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/> applied to each step of a sequence
    /// (the guided output [N, L, D] to the hint's [N, L, D']), then <paramref name="activation"/>.
    /// </summary>
    public static HintRegressor PerStep(long inFeatures, long outFeatures, Activation? activation) =>
        new(false, inFeatures, outFeatures, 1, 1, activation, perStep: true);

    /// <summary>True for a convolution, false for a linear layer.</summary>
    public bool IsConvolution { get; }

    /// <summary>True for a linear layer applied to each step of a sequence (nothing is flattened).</summary>
    public bool IsPerStep { get; }

    /// <summary>Input channels (convolution) or features (linear).</summary>
    public long Inputs { get; }

    /// <summary>Output channels (convolution) or features (linear).</summary>
    public long Outputs { get; }

    /// <summary>Kernel height of a convolution; 1 for a linear layer.</summary>
    public long KernelHeight { get; }

    /// <summary>Kernel width of a convolution; 1 for a linear layer.</summary>
    public long KernelWidth { get; }

    /// <summary>The activation after it (the one the hint ends in), or null.</summary>
    public Activation? Activation { get; }

    /// <summary>Trainable parameters: weights and biases.</summary>
    public long ParameterCount => Inputs * Outputs * KernelHeight * KernelWidth + Outputs;

    /// <inheritdoc/>
    public override string ToString()
    {
        string layer = IsConvolution
            ? string.Create(CultureInfo.InvariantCulture, $"{KernelHeight}x{KernelWidth} convolution {Inputs} → {Outputs} channels")
            : string.Create(CultureInfo.InvariantCulture, $"linear {Inputs} → {Outputs}{(IsPerStep ? " per step" : "")}");
        return Activation is { } kind ? $"{layer}, then {kind}" : layer;
    }

    /// <summary>A module with fresh weights, drawn from TorchSharp's global generator.</summary>
    internal Model Create() => new Module(this);

    private sealed class Module : Model
    {
        private readonly Model layer;
        private readonly Activation? activation;
        private readonly bool flatten;

        public Module(HintRegressor regressor)
            : base("regressor")
        {
            layer = regressor.IsConvolution
                ? nn.Conv2d(regressor.Inputs, regressor.Outputs, (regressor.KernelHeight, regressor.KernelWidth))
                : nn.Linear(regressor.Inputs, regressor.Outputs);
            activation = regressor.Activation;
            flatten = !regressor.IsConvolution && !regressor.IsPerStep;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = layer.call(flatten ? input.flatten(1) : input);
            return activation switch
            {
                null => x,
                DeclarativeDistill.Activation.Tanh => nn.functional.tanh(x),
                DeclarativeDistill.Activation.GELU => nn.functional.gelu(x),
                DeclarativeDistill.Activation.Sigmoid => nn.functional.sigmoid(x),
                _ => nn.functional.relu(x),
            };
        }
    }
}
