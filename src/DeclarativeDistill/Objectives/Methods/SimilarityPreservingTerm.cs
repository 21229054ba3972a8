using System.Collections.Generic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// Similarity-preserving knowledge distillation (Tung and Mori, ICCV 2019): examples that the teacher's layer makes
/// similar should be similar in the student's. G = Q Qᵀ over the batch's flattened outputs Q, each row L2-normalized;
/// value <c>Weight · mean((G_student − G_teacher)²)</c>, i.e. <c>Weight / N² · ‖G_S − G_T‖²_F</c>. Teacher and student
/// may differ in width.
/// </summary>
public sealed record SimilarityPreservingTerm : LayerPairTerm
{
    private readonly double weight = 3000;

    /// <param name="teacherLayer">The teacher's layer.</param>
    /// <param name="studentLayer">The student's layer.</param>
    public SimilarityPreservingTerm(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }

    /// <summary>The paper's γ: positive and finite. Default 3000, its CIFAR-10 setting.</summary>
    public double Weight { get => weight; init => weight = CheckWeight(value, nameof(Weight)); }

    private protected override string Method => "similarity";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("Weight", Weight), ("Teacher", (double)Teacher) };

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    /// <summary>The batch's similarity matrix of flattened outputs, rows L2-normalized.</summary>
    internal static Tensor Similarities(Tensor outputs)
    {
        var flat = outputs.flatten(1);
        return normalize(flat.matmul(flat.t()), p: 2, dim: 1, eps: 1e-12);
    }

    private sealed class Runtime : TermRuntime
    {
        private readonly SimilarityPreservingTerm term;

        public Runtime(SimilarityPreservingTerm term)
            : base(term) => this.term = term;

        public override Tensor[] TeacherSide(TeacherOutputs teachers) => new[] { teachers.Layer(term.Teacher, term.TeacherLayer).flatten(1) };

        public override Tensor Compute(TermBatch batch) =>
            (Similarities(batch.Student.Layer(term.StudentLayer)) - Similarities(batch.Teacher[0])).pow(2).mean().mul(term.Weight);
    }
}
