using System.Collections.Generic;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[Pkt]</c>: probabilistic knowledge transfer (Passalis and Tefas 2018), between embeddings of any widths.</summary>
internal sealed class PktMethod : MethodKind
{
    public static readonly PktMethod Instance = new();

    public override int Order => 60;

    public override string AttributeName => "Pkt";

    public override string RuntimeTerm => "PktTerm";

    public override string Description => "Probabilistic knowledge transfer (Passalis and Tefas 2018): the batch's distribution of cosine similarities.";

    public override bool ReadsLayers => true;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(PktAttribute.Weight), PktAttribute.DefaultWeight, ConstantRule.Positive),
    };
}
