using System.Collections.Generic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// Probabilistic knowledge transfer (Passalis and Tefas, ECCV 2018): each side's embeddings (a vector layer's output, or a
/// feature map's channel means), L2-normalized, give a cosine
/// kernel <c>K = (x xᵀ + 1) / 2</c> over the batch, row-normalized into conditional probabilities; the term is their
/// KL divergence, <c>Weight · mean(K_T · log((K_T + 10⁻⁷) / (K_S + 10⁻⁷)))</c> over the N² pairs, as RepDistiller
/// computes it. Teacher and student may differ in width.
/// </summary>
public sealed record PktTerm : LayerPairTerm
{
    private readonly double weight = 30000;

    /// <param name="teacherLayer">The teacher's layer.</param>
    /// <param name="studentLayer">The student's layer.</param>
    public PktTerm(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }

    /// <summary>Weight: positive and finite. Default 30000, RepDistiller's.</summary>
    public double Weight { get => weight; init => weight = CheckWeight(value, nameof(Weight)); }

    private protected override string Method => "pkt";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("Weight", Weight), ("Teacher", (double)Teacher) };

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    /// <summary>The batch's conditional probabilities from the cosine kernel of its L2-normalized embeddings.</summary>
    internal static Tensor Probabilities(Tensor outputs)
    {
        var unit = normalize(outputs.flatten(1), p: 2, dim: 1, eps: 1e-12);
        var kernel = (unit.matmul(unit.t()) + 1) / 2;
        return kernel / kernel.sum(1, keepdim: true);
    }

    /// <summary>The unweighted divergence of the student's probabilities from the teacher's.</summary>
    internal static Tensor Divergence(Tensor student, Tensor teacher) => (teacher * ((teacher + 1e-7) / (student + 1e-7)).log()).mean();

    private sealed class Runtime : TermRuntime
    {
        private readonly PktTerm term;

        public Runtime(PktTerm term)
            : base(term) => this.term = term;

        // Per example, the teacher's embedding: the kernel relates the examples of a batch, so it is made per batch.
        public override Tensor[] TeacherSide(TeacherOutputs teachers) => new[] { Embedding(teachers.Layer(term.Teacher, term.TeacherLayer)) };

        public override Tensor Compute(TermBatch batch) =>
            Divergence(Probabilities(Embedding(batch.Student.Layer(term.StudentLayer))), Probabilities(batch.Teacher[0])).mul(term.Weight);
    }
}
