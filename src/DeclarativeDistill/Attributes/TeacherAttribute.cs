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
/// Declares a teacher network. The source generator turns the partial class into a TorchSharp
/// <c>Module&lt;Tensor, Tensor&gt;</c> with <c>Fit</c> and <c>Evaluate</c>; students name it in
/// <see cref="DistillAttribute"/>, or find it as the only teacher of their namespace.
/// <para>
/// A TorchSharp module written by hand becomes a teacher by declaring its shapes instead of its layers:
/// <see cref="Input"/> and <see cref="Outputs"/> replace <see cref="NetworkAttribute.Layers"/>. The generator then
/// checks students against those shapes and adds <c>InputSize</c>, <c>InputShape</c>, <c>OutputSize</c>, <c>Fit</c>,
/// <c>Evaluate</c>, <c>Predict</c>, <c>Classify</c> and <c>Save</c>, but no layers, no <c>forward</c> and no
/// constructor. Batches reach its <c>forward</c> in the declared shape.
/// </para>
/// </summary>
/// <example><code>
/// [Teacher(Layers = "784,1200,1200,10", Dropout = 0.5)]
/// public partial class MnistTeacher { }
///
/// [Teacher(Input = "1x28x28", Outputs = 10)]
/// public partial class MyNet : Module&lt;Tensor, Tensor&gt; { /* fields, constructor, forward */ }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TeacherAttribute : NetworkAttribute
{
    /// <summary>
    /// For a hand-written module: the shape of one example, as the first item of <c>Layers</c> (<c>"784"</c>, <c>"1x28x28"</c>).
    /// </summary>
    public string Input { get; set; } = "";

    /// <summary>For a hand-written module: the number of classes, the width of its logits.</summary>
    public int Outputs { get; set; }

    /// <summary>
    /// A classifier in an ONNX file, run by ONNX Runtime as the teacher (the class becomes an <see cref="OnnxTeacher"/>).
    /// Add the file to the project as <c>&lt;AdditionalFiles Include="digits.onnx" /&gt;</c>: the build reads its input
    /// shape and number of classes, so students are checked against them at compile time, and copies it beside the
    /// application, where the teacher loads it.
    /// </summary>
    public string Onnx { get; set; } = "";
}
