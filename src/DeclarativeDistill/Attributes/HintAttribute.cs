using System;

// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>
/// A FitNets hint (Romero et al. 2015): the output of a teacher layer that a student layer learns to predict
/// through a small trained regressor, before or alongside the distillation of the outputs. Layers are named as
/// the generated classes name their fields (<c>conv2</c>, <c>bn3</c>, <c>res4</c>, <c>hidden1</c>, <c>output</c>;
/// see their <c>FeatureLayers</c>); a layer's output is what the next item of <c>Layers</c> receives, after the
/// activation that follows it. The generator checks both names and sizes the regressor: a convolution for two
/// feature maps (1×1 when the sizes are equal; FitNets' (Hs − Ht + 1) × (Ws − Wt + 1) kernel when the student's
/// map is larger), a linear layer otherwise. The regressor is trained with the student and is not part of it.
/// </summary>
/// <remarks>Goes on a class with <see cref="DistillAttribute"/>; one attribute per hint.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HintAttribute : LayerPairAttribute
{
    /// <summary>A hint named by its properties: <c>[Hint(TeacherLayer = "res2", StudentLayer = "conv4")]</c>.</summary>
    public HintAttribute()
    {
    }

    /// <summary>A hint named in order, teacher layer first: <c>[Hint("res2", "conv4")]</c>.</summary>
    public HintAttribute(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }

    /// <summary>A hint's weight when <see cref="Weight"/> is not set: 1.</summary>
    public const double DefaultWeight = 1;

    /// <summary>Weight of this hint's term: the mean squared error between the hint and the regressed student output. Default 1.</summary>
    public double Weight { get; set; } = DefaultWeight;
}
