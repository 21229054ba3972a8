using System;

// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>
/// A distillation method that compares a teacher layer's output with a student layer's, named as the generated classes
/// name their layers (see their <c>FeatureLayers</c>: <c>conv2</c>, <c>bn3</c>, <c>res2</c>, <c>hidden1</c>, <c>output</c>),
/// as <see cref="HintAttribute"/> names them: <c>[AttentionTransfer("res2", "conv3")]</c>, or with
/// <see cref="TeacherLayer"/> and <see cref="StudentLayer"/>. Goes on a class with <see cref="DistillAttribute"/>.
/// </summary>
public abstract class LayerPairAttribute : Attribute
{
    /// <summary>The layers named by their properties.</summary>
    protected LayerPairAttribute()
    {
    }

    /// <summary>The layers named in order, the teacher's first.</summary>
    protected LayerPairAttribute(string teacherLayer, string studentLayer)
    {
        TeacherLayer = teacherLayer;
        StudentLayer = studentLayer;
    }

    /// <summary>The teacher's layer, e.g. <c>"res2"</c>.</summary>
    public string? TeacherLayer { get; set; }

    /// <summary>The student's layer, e.g. <c>"conv3"</c>.</summary>
    public string? StudentLayer { get; set; }

    /// <summary>Which teacher's layer; needed only when the student learns from an ensemble.</summary>
    public Type? Teacher { get; set; }
}
