using System;

// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
#pragma warning disable CS1574 // its documentation refers to runtime types the generator does not have
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>
/// Adds DIST (Huang et al., NeurIPS 2022) to a <see cref="DistillAttribute"/> student's loss: the Pearson correlation of
/// the student's and the teacher's softened probabilities, across the classes of each example (inter-class) and across
/// the batch for each class (intra-class), <c>T² · (Beta · (1 − inter) + Gamma · (1 − intra))</c> (see <see cref="DistTerm"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DistAttribute : Attribute
{
    /// <summary>The default temperature: 1, the paper's ImageNet setting (4 on CIFAR-100).</summary>
    public const double DefaultTemperature = 1;

    /// <summary>The default weights of the two relations: 1.</summary>
    public const double DefaultWeight = 1;

    /// <summary>The softmax temperature: positive and finite. Default 1.</summary>
    public double Temperature { get; set; } = DefaultTemperature;

    /// <summary>Weight of the inter-class relation: finite and non-negative. Default 1.</summary>
    public double Beta { get; set; } = DefaultWeight;

    /// <summary>Weight of the intra-class relation: finite and non-negative. Default 1.</summary>
    public double Gamma { get; set; } = DefaultWeight;
}
