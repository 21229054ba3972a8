using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>The two pooling items.</summary>
internal enum PoolKind
{
    Max,
    Average,
}

/// <summary><c>maxpool(K, stride: S)</c> or <c>avgpool(K, stride: S)</c>; the stride defaults to K.</summary>
internal sealed record PoolSpec(PoolKind Pool, long Kernel, long Stride, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text =>
        (Pool == PoolKind.Max ? "maxpool(" : "avgpool(") + Literal(Kernel)
        + (Stride != Kernel ? ", stride: " + Literal(Stride) : "") + ")";

    public override LayerKind Kind => Pool == PoolKind.Max ? MaxPool.Instance : AveragePool.Instance;
}

/// <summary>
/// Pooling over K×K windows: out = ⌊(in − K) / stride⌋ + 1 in each dimension, and the window must fit. No state; the
/// activation of what came before is kept (max and mean of activated values).
/// </summary>
internal abstract class Pooling : LayerKind<PoolSpec>
{
    protected abstract PoolKind Pool { get; }

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers();
        if (problem is null)
        {
            long kernel = arguments.Number("kernel");
            spec = new PoolSpec(Pool, kernel, arguments.Number("stride", kernel), arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(PoolSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (Shapes.NeedsImage(spec, input) is { } notAnImage)
        {
            return notAnImage;
        }
        if (input.Height < spec.Kernel || input.Width < spec.Kernel)
        {
            return new ShapeProblem(DiagnosticDescriptors.LayerDoesNotFit, spec.Start, spec.Length,
                $"{spec.Text} needs at least {spec.Kernel}x{spec.Kernel} but the input here is {input}");
        }
        var output = TensorShape.Image(input.Channels, (input.Height - spec.Kernel) / spec.Stride + 1, (input.Width - spec.Kernel) / spec.Stride + 1);
        return Shapes.Stateless(spec, input, output, new PoolOperation(spec.Pool, spec.Kernel, spec.Stride));
    }
}

/// <summary>Max or average pooling, a function of <c>forward</c>.</summary>
internal sealed record PoolOperation(PoolKind Pool, long Kernel, long Stride) : Operation
{
    public override string Apply(string x) =>
        $"global::TorchSharp.torch.nn.functional.{(Pool == PoolKind.Max ? "max_pool2d" : "avg_pool2d")}({x}, {Kernel}{(Stride != Kernel ? $", stride: {Stride}" : "")})";

    public override string Describe() => $"new {Runtime}.{(Pool == PoolKind.Max ? "MaxPool" : "AveragePool")}({Kernel}, {Stride})";
}
