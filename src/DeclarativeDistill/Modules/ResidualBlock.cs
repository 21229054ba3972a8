using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclarativeDistill.Modules;

/// <summary>
/// The basic residual block of He et al. (2016), as <c>res(C, stride: S)</c> declares it: a 3×3 convolution
/// (stride S, pad 1) → bn → activation → a 3×3 convolution (pad 1) → bn, plus the shortcut, then the activation.
/// The shortcut is the identity, or a 1×1 convolution with stride S followed by bn when the channels or the
/// spatial size change. The convolutions have no bias (each is followed by bn).
/// </summary>
/// <remarks>
/// Its state_dict keys are those of torchvision's <c>BasicBlock</c>: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>,
/// <c>bn2</c>, and <c>downsample.0</c> (the 1×1 convolution) and <c>downsample.1</c> (its bn) when there is a
/// projection, so that PyTorch weights map onto it name for name.
/// </remarks>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly Activation activation;

    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="outChannels"/> with the given stride.</summary>
    public ResidualBlock(long inChannels, long outChannels, long stride, Activation activation)
        : base(nameof(ResidualBlock))
    {
        if (inChannels <= 0 || outChannels <= 0 || stride <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"Channels and stride must be positive; got {inChannels} → {outChannels}, stride {stride}.");
        }
        this.activation = activation;
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = nn.Sequential(nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels));
        }
        RegisterComponents();
    }

    /// <summary>[N, C_in, H, W] to [N, C_out, H / stride, W / stride] (rounded up).</summary>
    public override Tensor forward(Tensor input)
    {
        var x = Activate(bn1.forward(conv1.forward(input)));
        x = bn2.forward(conv2.forward(x));
        var shortcut = downsample is null ? input : downsample.forward(input);
        return Activate(x.add_(shortcut));
    }

    private Tensor Activate(Tensor x) => activation switch
    {
        Activation.Tanh => nn.functional.tanh(x),
        Activation.GELU => nn.functional.gelu(x),
        Activation.Sigmoid => nn.functional.sigmoid(x),
        _ => nn.functional.relu(x),
    };
}
