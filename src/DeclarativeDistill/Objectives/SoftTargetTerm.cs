using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// The soft targets of Hinton, Vinyals and Dean (2015): <c>Alpha · T² · KL(softmax(t / T) ‖ softmax(s / T))</c>, the KL
/// divergence summed over classes and averaged over the batch ("batchmean"). Several teachers are an ensemble whose
/// softened probabilities are averaged (<see cref="KnowledgeDistillation.EnsembleLogits"/>). The temperature lives here.
/// </summary>
/// <param name="Temperature">T: positive and finite.</param>
/// <param name="Alpha">The term's weight: positive and finite.</param>
public sealed record SoftTargetTerm(double Temperature, double Alpha) : DistillationTerm
{
    private readonly double temperature = Checked(Temperature);
    private readonly double alpha = CheckWeight(Alpha, nameof(Alpha));

    /// <summary>T: positive and finite.</summary>
    public double Temperature { get => temperature; init => temperature = Checked(value); }

    /// <summary>The term's weight: positive and finite.</summary>
    public double Alpha { get => alpha; init => alpha = CheckWeight(value, nameof(Alpha)); }

    /// <inheritdoc/>
    public override string Name => "soft";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("T", Temperature), ("Alpha", Alpha) };

    internal override bool ReadsStudentLogits => true;

    internal override bool ReadsTeacherLogits => true;

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    private static double Checked(double temperature)
    {
        KnowledgeDistillation.CheckTemperature(temperature);
        return temperature;
    }

    /// <summary>
    /// The teacher's side is kept as <c>−Alpha · T² · C · softmax(t / T)</c> per example (C classes): the term is then one
    /// product and one mean with the student's log-probabilities, and a plain mean over batch and classes is the
    /// batchmean. The part of the KL divergence that does not depend on the student, <c>Alpha · T² · Σ p log p</c>, is kept
    /// per example in double precision and added back to the value reported.
    /// </summary>
    private sealed class Runtime : TermRuntime
    {
        private readonly SoftTargetTerm term;
        private readonly Scalar inverseTemperature;
        private readonly double alphaTSquared;

        public Runtime(SoftTargetTerm term)
            : base(term)
        {
            this.term = term;
            inverseTemperature = (1 / term.Temperature).ToScalar();
            alphaTSquared = term.Alpha * term.Temperature * term.Temperature;
        }

        public override Tensor[] TeacherSide(TeacherOutputs teachers)
        {
            var logits = KnowledgeDistillation.EnsembleLogits(teachers.Logits, term.Temperature);
            long classes = logits.shape[1];
            return new[] { softmax(logits * inverseTemperature, 1).mul_(-alphaTSquared * classes) };
        }

        public override Tensor? Constant(TeacherOutputs teachers)
        {
            var logits = KnowledgeDistillation.EnsembleLogits(teachers.Logits, term.Temperature);
            var logProbabilities = log_softmax(logits.to_type(ScalarType.Float64) * inverseTemperature, 1);
            return logProbabilities.exp().mul_(logProbabilities).sum(1).mul_(alphaTSquared).cpu();
        }

        public override Tensor Compute(TermBatch batch) =>
            batch.Teacher[0].mul(log_softmax(batch.Student.Logits * inverseTemperature, 1)).mean();

        public override void Dispose() => inverseTemperature.Dispose();
    }
}
