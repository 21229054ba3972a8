using System.Collections.Generic;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[Nst]</c>: neuron selectivity transfer (Huang and Wang 2017) between two feature maps of one size.</summary>
internal sealed class NstMethod : MethodKind
{
    public static readonly NstMethod Instance = new();

    public override int Order => 70;

    public override string AttributeName => "Nst";

    public override string RuntimeTerm => "NstTerm";

    public override string Description => "Neuron selectivity transfer (Huang and Wang 2017): the distribution of where the channels fire.";

    public override bool ReadsLayers => true;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(NstAttribute.Weight), NstAttribute.DefaultWeight, ConstantRule.Positive),
    };

    /// <summary>Channels are compared position by position: two feature maps of the same height and width.</summary>
    public override string? IncompatibleShapes(FeatureTap teacher, FeatureTap student) => SameSizeMaps("neuron selectivity transfer", teacher, student);
}
