using System.Collections.Generic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// Attention transfer (Zagoruyko and Komodakis, ICLR 2017), activation-based: a feature map's attention is the mean over
/// its channels of the squared activations, L2-normalized over the positions; the term is
/// <c>Weight / 2 · mean((attention(student) − attention(teacher))²)</c> over the batch and the positions, as the authors'
/// code computes it (the mean over channels rather than the paper's sum, which the normalization makes equivalent, and
/// which lets maps of different channel counts be compared). Both maps must have the same height and width.
/// </summary>
public sealed record AttentionTransferTerm : LayerPairTerm
{
    private readonly double weight = 1000;

    /// <param name="teacherLayer">The teacher's feature map.</param>
    /// <param name="studentLayer">The student's feature map, of the same height and width.</param>
    public AttentionTransferTerm(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }

    /// <summary>The paper's β: positive and finite. Default 1000.</summary>
    public double Weight { get => weight; init => weight = CheckWeight(value, nameof(Weight)); }

    private protected override string Method => "attention";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("Weight", Weight), ("Teacher", (double)Teacher) };

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    /// <summary>[N, H·W]: each example's mean over channels of x², L2-normalized.</summary>
    internal static Tensor Attention(Tensor map) => normalize(map.pow(2).mean(new long[] { 1 }).flatten(1), p: 2, dim: 1, eps: 1e-12);

    private sealed class Runtime : TermRuntime
    {
        private readonly AttentionTransferTerm term;

        public Runtime(AttentionTransferTerm term)
            : base(term) => this.term = term;

        public override Tensor[] TeacherSide(TeacherOutputs teachers) => new[] { Attention(teachers.Layer(term.Teacher, term.TeacherLayer)) };

        public override Tensor Compute(TermBatch batch)
        {
            var student = Attention(batch.Student.Layer(term.StudentLayer));
            var teacher = batch.Teacher[0];
            if (student.shape[1] != teacher.shape[1])
            {
                throw new System.ArgumentException(
                    $"attention transfer compares maps of the same height and width: the student's {term.StudentLayer} has {student.shape[1]} positions, the teacher's {term.TeacherLayer} {teacher.shape[1]}.");
            }
            return (student - teacher).pow(2).mean().mul(term.Weight / 2);
        }
    }
}
