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
/// Adds neuron selectivity transfer (Huang and Wang 2017) to a <see cref="DistillAttribute"/> student's loss: the
/// student's channels should fire where the teacher's do, in distribution (see <see cref="NstTerm"/>). The two layers
/// are feature maps of the same height and width. One attribute per pair of layers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class NstAttribute : LayerPairAttribute
{
    /// <summary>The default weight: 50, RepDistiller's.</summary>
    public const double DefaultWeight = 50;

    /// <summary>The weight: positive and finite. Default 50.</summary>
    public double Weight { get; set; } = DefaultWeight;

    /// <summary>The layers named by their properties.</summary>
    public NstAttribute()
    {
    }

    /// <summary>The layers named in order, the teacher's first: <c>[Nst("res2", "conv3")]</c>.</summary>
    public NstAttribute(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }
}
