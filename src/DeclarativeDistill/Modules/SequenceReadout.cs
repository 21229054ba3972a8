using static TorchSharp.torch;

namespace DeclarativeDistill.Modules;

/// <summary>
/// What a text network's <c>forward</c> calls to read a sequence out into one vector per example, with the padding
/// (id 0, and the steps made of it) left out.
/// </summary>
public static class SequenceReadout
{
    /// <summary>The mean of <paramref name="x"/> [N, L, D] over the steps where <paramref name="mask"/> [N, L] is true; 0 where none is.</summary>
    public static Tensor Mean(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weights = mask.unsqueeze(-1).to_type(x.dtype);
        var sum = x.mul(weights).sum(1);
        var count = weights.sum(1).clamp_min(1);
        return sum.div_(count).MoveToOuterDisposeScope();
    }

    /// <summary>Each feature's largest value over the steps where <paramref name="mask"/> is true; 0 where none is.</summary>
    public static Tensor Max(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var largest = x.masked_fill(mask.logical_not().unsqueeze(-1), double.NegativeInfinity).amax(new long[] { 1 });
        return largest.masked_fill(largest.isinf(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>The first step of <paramref name="x"/> [N, L, D]: [N, D].</summary>
    public static Tensor First(Tensor x) => x.select(1, 0);

    /// <summary>
    /// The mask after a 1-D convolution of window <paramref name="kernel"/>, <paramref name="stride"/> and
    /// <paramref name="padding"/>: a step of its output holds a token where its window held one.
    /// </summary>
    public static Tensor ConvolvedMask(Tensor mask, long kernel, long stride, long padding)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.max_pool1d(mask.unsqueeze(1).to_type(ScalarType.Float32), kernel, stride, padding);
        return pooled.squeeze(1).gt(0).MoveToOuterDisposeScope();
    }
}
