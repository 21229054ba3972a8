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
/// Adds probabilistic knowledge transfer (Passalis and Tefas, ECCV 2018) to a <see cref="DistillAttribute"/> student's
/// loss: the student's layer should keep the teacher's distribution of cosine similarities between examples (see
/// <see cref="PktTerm"/>). A feature map is pooled to its channels' means. One attribute per pair of layers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PktAttribute : LayerPairAttribute
{
    /// <summary>The default weight: 30000, RepDistiller's.</summary>
    public const double DefaultWeight = 30000;

    /// <summary>The weight: positive and finite. Default 30000.</summary>
    public double Weight { get; set; } = DefaultWeight;

    /// <summary>The layers named by their properties.</summary>
    public PktAttribute()
    {
    }

    /// <summary>The layers named in order, the teacher's first: <c>[Pkt("res2", "conv3")]</c>.</summary>
    public PktAttribute(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }
}
