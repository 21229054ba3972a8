using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclarativeDistill.Modules;

/// <summary>
/// One transformer encoder block (Vaswani et al. 2017) as PyTorch's <c>nn.TransformerEncoderLayer</c> computes it with
/// <c>batch_first=True</c>, <c>norm_first=False</c> and no dropout: <c>x = norm1(x + attention(x))</c>, then
/// <c>x = norm2(x + linear2(activation(linear1(x))))</c>, attention over the steps that hold a token (padding is
/// masked as keys), with PyTorch's tensor names (<c>self_attn.in_proj_weight</c>, <c>linear1.weight</c>, <c>norm1.weight</c>,
/// ...), so that PyTorch's weights load as they are. A text with no token at all attends to its first step.
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly MultiheadAttention self_attn;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Activation activation;

    /// <param name="width">Features per step (d_model).</param>
    /// <param name="heads">Attention heads; <paramref name="width"/> must be a multiple of them.</param>
    /// <param name="feedForward">Units of the feed-forward layer.</param>
    /// <param name="activation">The feed-forward layer's activation (the network's).</param>
    public TransformerBlock(long width, long heads, long feedForward, Activation activation)
        : base(nameof(TransformerBlock))
    {
        if (width % heads != 0)
        {
            throw new ArgumentException($"{width} features do not split into {heads} heads.", nameof(heads));
        }
        self_attn = nn.MultiheadAttention(width, heads);
        linear1 = nn.Linear(width, feedForward);
        linear2 = nn.Linear(feedForward, width);
        norm1 = nn.LayerNorm(width);
        norm2 = nn.LayerNorm(width);
        this.activation = activation;
        RegisterComponents();
    }

    /// <summary>The block on <paramref name="x"/> [N, L, D], keys masked where <paramref name="mask"/> [N, L] is false.</summary>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var padding = AttendedMask(mask).logical_not();
        var stepsFirst = x.transpose(0, 1);
        var (attended, _) = self_attn.forward(stepsFirst, stepsFirst, stepsFirst, padding, false, null);
        var y = norm1.forward(x + attended.transpose(0, 1));
        var hidden = linear1.forward(y);
        hidden = activation switch
        {
            Activation.GELU => nn.functional.gelu(hidden),
            Activation.Tanh => nn.functional.tanh(hidden),
            Activation.Sigmoid => nn.functional.sigmoid(hidden),
            _ => nn.functional.relu(hidden),
        };
        return norm2.forward(y + linear2.forward(hidden)).MoveToOuterDisposeScope();
    }

    /// <summary>The steps attention may look at: the tokens, or the first step of a text without any.</summary>
    internal static Tensor AttendedMask(Tensor mask)
    {
        using var scope = NewDisposeScope();
        var empty = mask.any(1).logical_not(); // [N]
        var first = zeros_like(mask);
        first[TensorIndex.Colon, 0] = empty;
        return mask.logical_or(first).MoveToOuterDisposeScope();
    }
}
