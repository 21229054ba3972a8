using System.Collections.Generic;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[Dkd]</c>: decoupled knowledge distillation (Zhao et al. 2022), on the logits.</summary>
internal sealed class DkdMethod : MethodKind
{
    public static readonly DkdMethod Instance = new();

    public override int Order => 10;

    public override string AttributeName => "Dkd";

    public override string RuntimeTerm => "DkdTerm";

    public override string Description => "Decoupled knowledge distillation (Zhao et al. 2022): target-class and non-target parts of the KL divergence, weighted apart.";

    public override IReadOnlyList<string> Parts { get; } = new[] { nameof(DkdAttribute.Alpha), nameof(DkdAttribute.Beta) };

    public override bool ReadsLayers => false;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(DkdAttribute.Temperature), DkdAttribute.DefaultTemperature, ConstantRule.Positive),
        new MethodConstant(nameof(DkdAttribute.Alpha), DkdAttribute.DefaultAlpha, ConstantRule.NonNegative),
        new MethodConstant(nameof(DkdAttribute.Beta), DkdAttribute.DefaultBeta, ConstantRule.NonNegative),
        new MethodConstant(nameof(DkdAttribute.WarmupEpochs), 0, ConstantRule.WholeNonNegative),
    };
}
