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
/// Adds relational knowledge distillation (Park et al., CVPR 2019), distance- and angle-wise, to a
/// <see cref="DistillAttribute"/> student's loss: the student's examples should keep the distances and the angles that the
/// teacher's layer puts between them (see <see cref="RkdTerm"/>). A feature map is pooled to its channels' means, the
/// embedding a CNN classifies. One attribute per pair of layers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RkdAttribute : LayerPairAttribute
{
    /// <summary>The default weight of the distance term: 25, the paper's.</summary>
    public const double DefaultDistanceWeight = 25;

    /// <summary>The default weight of the angle term: 50, the paper's.</summary>
    public const double DefaultAngleWeight = 50;

    /// <summary>Weight of the distance term: finite and non-negative. Default 25.</summary>
    public double DistanceWeight { get; set; } = DefaultDistanceWeight;

    /// <summary>Weight of the angle term: finite and non-negative. Default 50.</summary>
    public double AngleWeight { get; set; } = DefaultAngleWeight;

    /// <summary>The layers named by their properties.</summary>
    public RkdAttribute()
    {
    }

    /// <summary>The layers named in order, the teacher's first: <c>[Rkd("res2", "conv3")]</c>.</summary>
    public RkdAttribute(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }
}
