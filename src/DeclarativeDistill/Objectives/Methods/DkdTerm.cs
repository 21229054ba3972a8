using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// Decoupled knowledge distillation (Zhao, Cui, Song, Qiu and Liang, CVPR 2022): the KL divergence of the softened
/// probabilities split into its target-class part (TCKD: the binary probability of the target class against all others)
/// and its non-target part (NCKD: the distribution among the non-target classes), weighted separately:
/// <c>Alpha · TCKD + Beta · NCKD</c>, each <c>T² ·</c> a batchmean KL, as the authors' mdistiller computes it. Hinton's KD
/// is the special case where NCKD is weighted by <c>1 − p_target</c> (the paper's eq. 4), which suppresses it exactly
/// when the teacher is confident. The non-target softmax is exact (the target class removed), where mdistiller subtracts
/// 1000 from the target's logit. Reads the labels.
/// </summary>
/// <param name="Temperature">T. Default 4, the paper's CIFAR-100 setting.</param>
/// <param name="Alpha">Weight of TCKD. Default 1.</param>
/// <param name="Beta">Weight of NCKD. Default 8, the paper's CIFAR-100 setting (it ranges from 1 to 8 by teacher).</param>
public sealed record DkdTerm(double Temperature = 4, double Alpha = 1, double Beta = 8) : DistillationTerm
{
    private readonly double temperature = Checked(Temperature);
    private readonly double alpha = CheckWeight(Alpha, nameof(Alpha), zero: true);
    private readonly double beta = CheckWeight(Beta, nameof(Beta), zero: true);
    private readonly int warmupEpochs;

    /// <summary>T: positive and finite.</summary>
    public double Temperature { get => temperature; init => temperature = Checked(value); }

    /// <summary>Weight of the target-class part: finite and non-negative.</summary>
    public double Alpha { get => alpha; init => alpha = CheckWeight(value, nameof(Alpha), zero: true); }

    /// <summary>Weight of the non-target part: finite and non-negative.</summary>
    public double Beta { get => beta; init => beta = CheckWeight(value, nameof(Beta), zero: true); }

    /// <summary>
    /// Epochs over which the term's weight rises linearly from 0 to 1 (mdistiller: <c>min(epoch / warmup, 1)</c>, 20 of its
    /// 240 epochs). Default 0: the full weight from the first epoch.
    /// </summary>
    public int WarmupEpochs
    {
        get => warmupEpochs;
        init => warmupEpochs = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), $"WarmupEpochs cannot be negative; got {value}.");
    }

    /// <inheritdoc/>
    public override string Name => "dkd";

    internal override IEnumerable<(string Key, double Value)> Constants => new[]
    {
        ("T", Temperature), ("Alpha", Alpha), ("Beta", Beta), ("WarmupEpochs", (double)WarmupEpochs),
    };

    internal override bool NeedsLabels => true;

    internal override bool ReadsStudentLogits => true;

    internal override bool ReadsTeacherLogits => true;

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    private static double Checked(double temperature)
    {
        KnowledgeDistillation.CheckTemperature(temperature);
        return temperature;
    }

    /// <summary>
    /// The two parts for a batch, unweighted, each <c>T² ·</c> a batchmean KL: from the student's logits, the teacher's
    /// log-probabilities at T and the labels.
    /// </summary>
    internal static (Tensor TargetPart, Tensor NonTargetPart) Parts(Tensor studentLogits, Tensor teacherLogProbabilities, Tensor labels, double temperature)
    {
        long classes = studentLogits.shape[1];
        var target = one_hot(labels, classes).to_type(ScalarType.Bool);
        var studentLog = log_softmax(studentLogits / temperature, 1);
        var (studentTarget, studentRest) = Split(studentLog, target, labels);
        var (teacherTarget, teacherRest) = Split(teacherLogProbabilities, target, labels);

        // TCKD: KL between the binary distributions [p_target, 1 − p_target].
        var targetPart = teacherTarget.exp().mul(teacherTarget - studentTarget)
            .add(teacherRest.exp().mul(teacherRest - studentRest))
            .mean();

        // NCKD: KL between the distributions over the non-target classes, log p̂ = log p − log(1 − p_target).
        var studentHat = (studentLog - studentRest.unsqueeze(1)).masked_fill(target, 0);
        var teacherHat = (teacherLogProbabilities - teacherRest.unsqueeze(1)).masked_fill(target, 0);
        var nonTargetPart = teacherHat.exp().masked_fill(target, 0).mul(teacherHat - studentHat).sum(1).mean();
        double squared = temperature * temperature;
        return (targetPart.mul(squared), nonTargetPart.mul(squared));
    }

    /// <summary>Per example, <c>log p_target</c> and <c>log(1 − p_target)</c> (the log-sum-exp of the others: no cancellation).</summary>
    private static (Tensor Target, Tensor Others) Split(Tensor logProbabilities, Tensor target, Tensor labels) =>
        (logProbabilities.gather(1, labels.unsqueeze(1)).squeeze(1),
         logProbabilities.masked_fill(target, double.NegativeInfinity).logsumexp(1));

    private sealed class Runtime : TermRuntime
    {
        private readonly DkdTerm term;
        private double ramp = 1;

        public Runtime(DkdTerm term)
            : base(term) => this.term = term;

        public override Tensor[] TeacherSide(TeacherOutputs teachers) =>
            new[] { log_softmax(KnowledgeDistillation.EnsembleLogits(teachers.Logits, term.Temperature) / term.Temperature, 1) };

        public override Tensor Compute(TermBatch batch)
        {
            var (targetPart, nonTargetPart) = Parts(batch.Student.Logits, batch.Teacher[0], batch.Labels!, term.Temperature);
            return targetPart.mul(term.Alpha * ramp).add(nonTargetPart.mul(term.Beta * ramp));
        }

        public override void StartEpoch(int epoch, int epochs) =>
            ramp = term.WarmupEpochs == 0 ? 1 : Math.Min(1.0, (double)epoch / term.WarmupEpochs);
    }
}
