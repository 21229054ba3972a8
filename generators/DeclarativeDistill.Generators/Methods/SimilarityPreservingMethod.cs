using System.Collections.Generic;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Methods;

/// <summary><c>[SimilarityPreserving]</c>: similarity-preserving distillation (Tung and Mori 2019), between layers of any shapes.</summary>
internal sealed class SimilarityPreservingMethod : MethodKind
{
    public static readonly SimilarityPreservingMethod Instance = new();

    public override int Order => 50;

    public override string AttributeName => "SimilarityPreserving";

    public override string RuntimeTerm => "SimilarityPreservingTerm";

    public override string Description => "Similarity-preserving KD (Tung and Mori 2019): the batch's similarity matrix.";

    public override bool ReadsLayers => true;

    public override IReadOnlyList<MethodConstant> Constants { get; } = new[]
    {
        new MethodConstant(nameof(SimilarityPreservingAttribute.Weight), SimilarityPreservingAttribute.DefaultWeight, ConstantRule.Positive),
    };
}
