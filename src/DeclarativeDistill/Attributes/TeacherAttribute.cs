using System;

namespace DeclarativeDistill;

/// <summary>
/// Declares a teacher network. The source generator turns the partial class into a TorchSharp
/// <c>Module&lt;Tensor, Tensor&gt;</c> with <c>Fit</c> and <c>Evaluate</c>; students name it in
/// <see cref="DistillAttribute"/>, or find it as the only teacher of their namespace.
/// </summary>
/// <example><code>
/// [Teacher(Layers = "784,1200,1200,10", Dropout = 0.5)]
/// public partial class MnistTeacher { }
/// </code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TeacherAttribute : NetworkAttribute
{
}
