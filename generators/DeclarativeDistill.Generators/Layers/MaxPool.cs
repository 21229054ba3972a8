using DeclarativeDistill.Generators.Grammar;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>maxpool(K)</c>: the largest value of each window.</summary>
internal sealed class MaxPool : Pooling
{
    public static readonly MaxPool Instance = new();

    public override int Order => 30;

    public override string Name => "maxpool";

    public override string Usage => "maxpool(K)";

    public override Signature Signature { get; } = new("maxpool(2) or maxpool(3, stride: 2)", new[] { "kernel" }, new[] { "stride" });

    protected override PoolKind Pool => PoolKind.Max;
}
