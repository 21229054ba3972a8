using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// A term that compares the output of a teacher's layer with the output of a student's layer, named as the generated
/// networks name their layers (<c>FeatureLayers</c>: <c>conv2</c>, <c>bn3</c>, <c>res2</c>, <c>hidden1</c>, <c>output</c>).
/// </summary>
public abstract record LayerPairTerm : DistillationTerm
{
    private readonly string teacherLayer;
    private readonly string studentLayer;
    private readonly int teacher;

    /// <param name="teacherLayer">The teacher's layer.</param>
    /// <param name="studentLayer">The student's layer.</param>
    private protected LayerPairTerm(string teacherLayer, string studentLayer)
    {
        this.teacherLayer = Layer(teacherLayer, nameof(TeacherLayer));
        this.studentLayer = Layer(studentLayer, nameof(StudentLayer));
    }

    /// <summary>The teacher's layer.</summary>
    public string TeacherLayer { get => teacherLayer; init => teacherLayer = Layer(value, nameof(TeacherLayer)); }

    /// <summary>The student's layer.</summary>
    public string StudentLayer { get => studentLayer; init => studentLayer = Layer(value, nameof(StudentLayer)); }

    /// <summary>Which of the distillation's teachers, by position (0 for the only one).</summary>
    public int Teacher { get => teacher; init => teacher = Position(value, nameof(Teacher)); }

    /// <summary>The method's name in reports: <c>attention</c>, <c>rkd</c>, ...</summary>
    private protected abstract string Method { get; }

    /// <inheritdoc/>
    public sealed override string Name => Method + Layers(TeacherLayer, StudentLayer, Teacher);

    internal override IEnumerable<string> StudentLayers => new[] { StudentLayer };

    internal override IEnumerable<(int Teacher, string Layer)> TeacherLayers => new[] { (Teacher, TeacherLayer) };

    /// <summary>One vector per example: a feature map's channel means (the embedding a CNN's classifier reads), a vector as it is.</summary>
    private protected static Tensor Embedding(Tensor output) => output.dim() == 4 ? output.mean(new long[] { 2, 3 }) : output.flatten(1);
}
