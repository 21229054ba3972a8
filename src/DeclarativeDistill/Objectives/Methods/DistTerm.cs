using System.Collections.Generic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// DIST (Huang, You, Wang, Qian and Xu, NeurIPS 2022, "Knowledge Distillation from A Stronger Teacher"): instead of
/// matching probabilities exactly, match their relations, by Pearson correlation. Inter-class: each example's
/// probabilities across the classes, teacher against student; intra-class: each class's probabilities across the batch.
/// Value <c>T² · (Beta · (1 − mean inter) + Gamma · (1 − mean intra))</c>, with the reference code's T² factor and its
/// 10⁻⁸ in the cosine's denominator.
/// </summary>
/// <param name="Temperature">T (the paper's τ). Default 1, its ImageNet setting (4 on CIFAR-100).</param>
/// <param name="Beta">Weight of the inter-class relation. Default 1.</param>
/// <param name="Gamma">Weight of the intra-class relation. Default 1.</param>
public sealed record DistTerm(double Temperature = 1, double Beta = 1, double Gamma = 1) : DistillationTerm
{
    private readonly double temperature = Checked(Temperature);
    private readonly double beta = CheckWeight(Beta, nameof(Beta), zero: true);
    private readonly double gamma = CheckWeight(Gamma, nameof(Gamma), zero: true);

    /// <summary>T: positive and finite.</summary>
    public double Temperature { get => temperature; init => temperature = Checked(value); }

    /// <summary>Weight of the inter-class relation: finite and non-negative.</summary>
    public double Beta { get => beta; init => beta = CheckWeight(value, nameof(Beta), zero: true); }

    /// <summary>Weight of the intra-class relation: finite and non-negative.</summary>
    public double Gamma { get => gamma; init => gamma = CheckWeight(value, nameof(Gamma), zero: true); }

    /// <inheritdoc/>
    public override string Name => "dist";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("T", Temperature), ("Beta", Beta), ("Gamma", Gamma) };

    internal override bool ReadsStudentLogits => true;

    internal override bool ReadsTeacherLogits => true;

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    private static double Checked(double temperature)
    {
        KnowledgeDistillation.CheckTemperature(temperature);
        return temperature;
    }

    /// <summary><c>1 − mean(pearson)</c> across classes (inter) and across the batch (intra), unweighted and without T².</summary>
    internal static (Tensor Inter, Tensor Intra) Relations(Tensor student, Tensor teacher) =>
        (1 - Pearson(student, teacher).mean(), 1 - Pearson(student.t(), teacher.t()).mean());

    /// <summary>Row by row, the cosine of the mean-centred rows.</summary>
    private static Tensor Pearson(Tensor a, Tensor b)
    {
        var x = a - a.mean(new long[] { 1 }, keepdim: true);
        var y = b - b.mean(new long[] { 1 }, keepdim: true);
        return (x * y).sum(1) / (x.norm(1) * y.norm(1) + 1e-8);
    }

    private sealed class Runtime : TermRuntime
    {
        private readonly DistTerm term;

        public Runtime(DistTerm term)
            : base(term) => this.term = term;

        public override Tensor[] TeacherSide(TeacherOutputs teachers) =>
            new[] { softmax(KnowledgeDistillation.EnsembleLogits(teachers.Logits, term.Temperature) / term.Temperature, 1) };

        public override Tensor Compute(TermBatch batch)
        {
            var (inter, intra) = Relations(softmax(batch.Student.Logits / term.Temperature, 1), batch.Teacher[0]);
            double squared = term.Temperature * term.Temperature;
            return inter.mul(term.Beta * squared).add(intra.mul(term.Gamma * squared));
        }
    }
}
