using System;

// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>
/// Makes a <see cref="StudentAttribute"/> class learn from one or more teachers with the loss of
/// Hinton, Vinyals and Dean (2015):
/// <c>L = Alpha * T² * KL(softmax(t/T) ‖ softmax(s/T)) + Beta * CE(s, y)</c>.
/// </summary>
/// <remarks>
/// <see cref="Alpha"/> weighs the <em>soft</em> (teacher) term, as in the paper. torchdistill and Keras
/// use <c>alpha</c> for the hard term instead; TextBrewer omits T². Here T² is always applied, so the
/// soft gradients keep their scale when the temperature changes.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DistillAttribute : Attribute
{
    /// <summary>
    /// Names the teachers. None: the only <see cref="TeacherAttribute"/> class of the student's namespace.
    /// Several: an ensemble whose temperature-softened probabilities are averaged.
    /// </summary>
    public DistillAttribute(params Type[] teachers)
    {
        Teachers = teachers ?? Array.Empty<Type>();
    }

    /// <summary>The temperature when <see cref="Temperature"/> is not set: 4.</summary>
    public const double DefaultTemperature = 4;

    /// <summary>The soft term's weight when <see cref="Alpha"/> is not set: 0.9.</summary>
    public const double DefaultAlpha = 0.9;

    /// <summary>The teachers named in the constructor (empty when inferred).</summary>
    public Type[] Teachers { get; }

    /// <summary>The softmax temperature T of the soft term; must be positive and finite. Default 4.</summary>
    public double Temperature { get; set; } = DefaultTemperature;

    /// <summary>Weight of the soft (teacher) term, in [0, 1]. Default 0.9.</summary>
    public double Alpha { get; set; } = DefaultAlpha;

    /// <summary>Weight of the hard (label) term, in [0, 1]. Default NaN, meaning <c>1 - Alpha</c>.</summary>
    public double Beta { get; set; } = double.NaN;

    /// <summary>With <see cref="HintAttribute"/>s: FitNets' two stages (the default) or one combined loss.</summary>
    public HintTraining HintTraining { get; set; }
}
