using DeclarativeDistill.Generators.Grammar;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>avgpool(K)</c>: the mean of each window.</summary>
internal sealed class AveragePool : Pooling
{
    public static readonly AveragePool Instance = new();

    public override int Order => 40;

    public override string Name => "avgpool";

    public override string Usage => "avgpool(K)";

    public override Signature Signature { get; } = new("avgpool(2) or avgpool(3, stride: 2)", new[] { "kernel" }, new[] { "stride" });

    protected override PoolKind Pool => PoolKind.Average;
}
