using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclarativeDistill.Modules;

/// <summary>
/// Learned positional embeddings: a vector per step, <c>weight</c> [L, D] (as <c>nn.Embedding(L, D).weight</c> in PyTorch),
/// added to a sequence [N, L, D], so that the layers after it know where each token is.
/// </summary>
public sealed class PositionalEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <param name="length">Steps.</param>
    /// <param name="width">Features per step.</param>
    public PositionalEmbedding(long length, long width)
        : base(nameof(PositionalEmbedding))
    {
        weight = new Parameter(randn(length, width)); // N(0, 1), as nn.Embedding initialises its rows
        RegisterComponents();
    }

    /// <summary><paramref name="x"/> [N, L, D] plus each step's vector.</summary>
    public override Tensor forward(Tensor x) => x + weight;
}
