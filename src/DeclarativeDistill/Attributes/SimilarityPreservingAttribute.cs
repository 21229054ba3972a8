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
/// Adds similarity-preserving distillation (Tung and Mori, ICCV 2019) to a <see cref="DistillAttribute"/> student's loss:
/// examples that the teacher's layer makes similar should be similar in the student's layer (see
/// <see cref="SimilarityPreservingTerm"/>). One attribute per pair of layers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimilarityPreservingAttribute : LayerPairAttribute
{
    /// <summary>The default weight: 3000, its CIFAR-10 setting.</summary>
    public const double DefaultWeight = 3000;

    /// <summary>The paper's gamma: positive and finite. Default 3000.</summary>
    public double Weight { get; set; } = DefaultWeight;

    /// <summary>The layers named by their properties.</summary>
    public SimilarityPreservingAttribute()
    {
    }

    /// <summary>The layers named in order, the teacher's first: <c>[SimilarityPreserving("res2", "conv3")]</c>.</summary>
    public SimilarityPreservingAttribute(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }
}
