using System.Collections.Generic;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[Dist]</c>: DIST (Huang et al. 2022), the correlations of the softened probabilities.</summary>
internal sealed class DistMethod : MethodKind
{
    public static readonly DistMethod Instance = new();

    public override int Order => 20;

    public override string AttributeName => "Dist";

    public override string RuntimeTerm => "DistTerm";

    public override string Description => "DIST (Huang et al. 2022): inter- and intra-class Pearson correlation of the softened probabilities.";

    public override IReadOnlyList<string> Parts { get; } = new[] { nameof(DistAttribute.Beta), nameof(DistAttribute.Gamma) };

    public override bool ReadsLayers => false;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(DistAttribute.Temperature), DistAttribute.DefaultTemperature, ConstantRule.Positive),
        new MethodConstant(nameof(DistAttribute.Beta), DistAttribute.DefaultWeight, ConstantRule.NonNegative),
        new MethodConstant(nameof(DistAttribute.Gamma), DistAttribute.DefaultWeight, ConstantRule.NonNegative),
    };
}
