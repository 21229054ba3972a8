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
/// Adds decoupled knowledge distillation (Zhao et al., CVPR 2022) to a <see cref="DistillAttribute"/> student's loss:
/// the KL divergence split into its target-class part (TCKD) and its non-target part (NCKD), weighted separately,
/// <c>Alpha · TCKD + Beta · NCKD</c> at temperature T (see <see cref="DkdTerm"/>). The authors train it with the hard labels and
/// without Hinton's soft term: <c>[Distill(Alpha = 0, Beta = 1)]</c> beside it does that.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DkdAttribute : Attribute
{
    /// <summary>The default temperature: 4, the paper's CIFAR-100 setting.</summary>
    public const double DefaultTemperature = 4;

    /// <summary>The default weight of the target-class part: 1.</summary>
    public const double DefaultAlpha = 1;

    /// <summary>The default weight of the non-target part: 8, the paper's CIFAR-100 setting.</summary>
    public const double DefaultBeta = 8;

    /// <summary>The softmax temperature: positive and finite. Default 4.</summary>
    public double Temperature { get; set; } = DefaultTemperature;

    /// <summary>Weight of the target-class part (TCKD): finite and non-negative. Default 1.</summary>
    public double Alpha { get; set; } = DefaultAlpha;

    /// <summary>Weight of the non-target part (NCKD): finite and non-negative. Default 8.</summary>
    public double Beta { get; set; } = DefaultBeta;

    /// <summary>Epochs over which the term's weight rises linearly from 0 to 1 (the authors use 20 of 240). Default 0.</summary>
    public int WarmupEpochs { get; set; }
}
