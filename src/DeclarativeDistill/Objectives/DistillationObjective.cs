using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// What a distillation minimises: <see cref="KnowledgeDistillation.Loss"/> with a temperature and the weights
/// of its soft (teacher) and hard (label) terms. A generated student's <c>Objective</c> holds its declared
/// constants; a sweep changes them at run time with <c>with</c>, e.g.
/// <c>student.Distill(teacher, data, objective: MyStudent.Objective with { Temperature = 8 })</c>. Knowing the
/// constants, rather than an opaque loss delegate, lets the trainer cache the teachers' probabilities at the
/// temperature, already weighted, instead of their logits, which takes the teacher's half of the loss out of
/// every batch.
/// </summary>
public sealed record DistillationObjective
{
    private readonly double temperature;
    private readonly double alpha;
    private readonly double beta;
    private readonly IReadOnlyList<FeatureHint> hints = Array.Empty<FeatureHint>();
    private readonly IReadOnlyList<DistillationTerm> terms = Array.Empty<DistillationTerm>();
    private readonly HintTraining hintTraining;

    /// <param name="temperature">T &gt; 0, finite.</param>
    /// <param name="alpha">Weight of the soft term, finite and ≥ 0.</param>
    /// <param name="beta">Weight of the hard term, finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A constant is out of range.</exception>
    public DistillationObjective(double temperature, double alpha, double beta)
    {
        Temperature = temperature;
        Alpha = alpha;
        Beta = beta;
    }

    /// <summary>The softmax temperature T of the soft term: positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Temperature
    {
        get => temperature;
        init
        {
            KnowledgeDistillation.CheckTemperature(value);
            temperature = value;
        }
    }

    /// <summary>Weight of the soft (teacher) term: finite and ≥ 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Alpha
    {
        get => alpha;
        init => alpha = CheckWeight(value, nameof(Alpha));
    }

    /// <summary>Weight of the hard (label) term: finite and ≥ 0. A transfer set without labels needs 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Beta
    {
        get => beta;
        init => beta = CheckWeight(value, nameof(Beta));
    }

    /// <summary>
    /// FitNets hint terms, each weighted, added to the loss (<see cref="HintTraining.Combined"/>) or trained in a
    /// first stage of their own (<see cref="HintTraining.TwoStages"/>). Empty by default. Needs a student and hint
    /// teachers that implement <see cref="IFeatureLayers"/>, as generated networks do.
    /// </summary>
    /// <exception cref="ArgumentException">On setting a list with a null hint.</exception>
    public IReadOnlyList<FeatureHint> Hints
    {
        get => hints;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Hints));
            var copy = value.ToArray();
            if (copy.Any(h => h is null))
            {
                throw new ArgumentException("A hint in Hints is null.", nameof(Hints));
            }
            hints = copy;
        }
    }

    /// <summary>
    /// The methods beyond the soft targets, the hard labels and the hints, each a term of the loss: <see cref="DkdTerm"/>,
    /// <see cref="DistTerm"/>, <see cref="AttentionTransferTerm"/>, <see cref="RkdTerm"/>, <see cref="SimilarityPreservingTerm"/>,
    /// <see cref="PktTerm"/>. A generated student's <c>Objective</c> holds one per method attribute. Empty by default.
    /// </summary>
    /// <exception cref="ArgumentException">On setting a list with a null term, or two terms of one name.</exception>
    public IReadOnlyList<DistillationTerm> Terms
    {
        get => terms;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Terms));
            var copy = value.ToArray();
            if (copy.Any(t => t is null))
            {
                throw new ArgumentException("A term in Terms is null.", nameof(Terms));
            }
            if (copy.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new ArgumentException($"Two terms are named {twice.Key}: an objective holds each method once per pair of layers.", nameof(Terms));
            }
            terms = copy;
        }
    }

    /// <summary>
    /// Every term of the loss, in the order reports list them: the soft targets (unless Alpha is 0), the hard labels (unless
    /// Beta is 0), the hints, then <see cref="Terms"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two terms have one name (a hint in <see cref="Terms"/> that is also in <see cref="Hints"/>).</exception>
    public IReadOnlyList<DistillationTerm> AllTerms
    {
        get
        {
            var all = new List<DistillationTerm>();
            if (Alpha > 0)
            {
                all.Add(new SoftTargetTerm(Temperature, Alpha));
            }
            if (Beta > 0)
            {
                all.Add(new HardLabelTerm(Beta));
            }
            all.AddRange(Hints);
            all.AddRange(Terms);
            if (all.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new InvalidOperationException($"Two terms of the objective are named {twice.Key}.");
            }
            return all;
        }
    }

    /// <summary>How a student with <see cref="Hints"/> trains: FitNets' two stages (the default) or one combined loss.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value that is not a <see cref="DeclarativeDistill.HintTraining"/>.</exception>
    public HintTraining HintTraining
    {
        get => hintTraining;
        init => hintTraining = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(HintTraining), $"Not a known hint training: {(int)value}.");
    }

    /// <summary><see cref="KnowledgeDistillation.Loss"/> with this objective's constants.</summary>
    public Tensor Loss(Tensor studentLogits, Tensor teacherLogits, Tensor labels) =>
        KnowledgeDistillation.Loss(studentLogits, teacherLogits, labels, Temperature, Alpha, Beta);

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"T = {Temperature:G6}, Alpha = {Alpha:G6}, Beta = {Beta:G6}")
        + (Hints.Count == 0 ? "" : $", {Hints.Count} hint{(Hints.Count == 1 ? "" : "s")} ({HintTraining}): {string.Join("; ", Hints)}")
        + (Terms.Count == 0 ? "" : $", {string.Join(", ", Terms)}");

    /// <summary>Equal constants, hint training, hints and terms (compared one by one).</summary>
    public bool Equals(DistillationObjective? other) =>
        other is not null
        && Temperature.Equals(other.Temperature) && Alpha.Equals(other.Alpha) && Beta.Equals(other.Beta)
        && HintTraining == other.HintTraining && Hints.SequenceEqual(other.Hints) && Terms.SequenceEqual(other.Terms);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Temperature, Alpha, Beta, HintTraining, Hints.Count, Terms.Count);

    private static double CheckWeight(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be finite and non-negative; got {value}.");
        }
        return value;
    }
}
