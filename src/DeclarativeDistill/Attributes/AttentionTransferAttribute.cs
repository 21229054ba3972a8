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
/// Adds attention transfer (Zagoruyko and Komodakis, ICLR 2017) to a <see cref="DistillAttribute"/> student's loss: the
/// student's feature map should put its activation where the teacher's does. The two maps need the same height and width
/// (see <see cref="AttentionTransferTerm"/>). One attribute per pair of layers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AttentionTransferAttribute : LayerPairAttribute
{
    /// <summary>The default weight: 1000, its CIFAR setting.</summary>
    public const double DefaultWeight = 1000;

    /// <summary>The paper's beta: positive and finite. Default 1000.</summary>
    public double Weight { get; set; } = DefaultWeight;

    /// <summary>The layers named by their properties.</summary>
    public AttentionTransferAttribute()
    {
    }

    /// <summary>The layers named in order, the teacher's first: <c>[AttentionTransfer("res2", "conv3")]</c>.</summary>
    public AttentionTransferAttribute(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }
}
