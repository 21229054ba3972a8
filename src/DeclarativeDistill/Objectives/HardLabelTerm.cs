using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>The hard labels: <c>Beta · CE(s, y)</c>, the cross-entropy of the student's logits at temperature 1, averaged over the batch.</summary>
/// <param name="Beta">The term's weight: positive and finite.</param>
public sealed record HardLabelTerm(double Beta) : DistillationTerm
{
    private readonly double beta = CheckWeight(Beta, nameof(Beta));

    /// <summary>The term's weight: positive and finite.</summary>
    public double Beta { get => beta; init => beta = CheckWeight(value, nameof(Beta)); }

    /// <inheritdoc/>
    public override string Name => "hard";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("Beta", Beta) };

    internal override bool NeedsLabels => true;

    internal override bool ReadsStudentLogits => true;

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    private sealed class Runtime : TermRuntime
    {
        private readonly Scalar? weight;

        public Runtime(HardLabelTerm term)
            : base(term)
        {
            weight = term.Beta == 1 ? null : term.Beta.ToScalar();
        }

        public override Tensor Compute(TermBatch batch)
        {
            var crossEntropy = nn.functional.cross_entropy(batch.Student.Logits, batch.Labels!);
            return weight is null ? crossEntropy : crossEntropy.mul_(weight);
        }

        public override void Dispose() => weight?.Dispose();
    }
}
