using System.Collections.Generic;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[Rkd]</c>: relational knowledge distillation (Park et al. 2019), distances and angles between embeddings of any widths.</summary>
internal sealed class RkdMethod : MethodKind
{
    public static readonly RkdMethod Instance = new();

    public override int Order => 40;

    public override string AttributeName => "Rkd";

    public override string RuntimeTerm => "RkdTerm";

    public override string Description => "Relational KD (Park et al. 2019): distances and angles between the embeddings of a batch.";

    public override IReadOnlyList<string> Parts { get; } = new[] { nameof(RkdAttribute.DistanceWeight), nameof(RkdAttribute.AngleWeight) };

    public override bool ReadsLayers => true;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(RkdAttribute.DistanceWeight), RkdAttribute.DefaultDistanceWeight, ConstantRule.NonNegative),
        new MethodConstant(nameof(RkdAttribute.AngleWeight), RkdAttribute.DefaultAngleWeight, ConstantRule.NonNegative),
    };
}
