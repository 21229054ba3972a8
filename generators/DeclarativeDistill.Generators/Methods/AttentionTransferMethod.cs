using System.Collections.Generic;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[AttentionTransfer]</c>: attention transfer (Zagoruyko and Komodakis 2017) between two feature maps of one size.</summary>
internal sealed class AttentionTransferMethod : MethodKind
{
    public static readonly AttentionTransferMethod Instance = new();

    public override int Order => 30;

    public override string AttributeName => "AttentionTransfer";

    public override string RuntimeTerm => "AttentionTransferTerm";

    public override string Description => "Attention transfer (Zagoruyko and Komodakis 2017): where each map puts its activation.";

    public override bool ReadsLayers => true;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(AttentionTransferAttribute.Weight), AttentionTransferAttribute.DefaultWeight, ConstantRule.Positive),
    };

    /// <summary>An attention map is one value per position: both layers must be feature maps of the same height and width.</summary>
    public override string? IncompatibleShapes(FeatureTap teacher, FeatureTap student) => SameSizeMaps("attention transfer", teacher, student);
}
