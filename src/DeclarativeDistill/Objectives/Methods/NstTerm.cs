using System.Collections.Generic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// Neuron selectivity transfer (Huang and Wang 2017): each channel of a feature map, its H·W activations L2-normalized,
/// is a sample of where the layer's neurons fire; the student's channels should follow the teacher's distribution. The
/// term is the squared MMD between the two sets of channels with the polynomial kernel <c>k(x, y) = (x · y)²</c>,
/// <c>Weight · (mean k(t, t) + mean k(s, s) − 2 mean k(s, t))</c>, each mean over the batch and the pairs of channels, as
/// RepDistiller computes it. The two maps need the same height and width; their channel counts may differ.
/// </summary>
public sealed record NstTerm : LayerPairTerm
{
    private readonly double weight = 50;

    /// <param name="teacherLayer">The teacher's feature map.</param>
    /// <param name="studentLayer">The student's feature map, of the same height and width.</param>
    public NstTerm(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }

    /// <summary>The weight of the squared MMD: positive and finite. Default 50, RepDistiller's.</summary>
    public double Weight { get => weight; init => weight = CheckWeight(value, nameof(Weight)); }

    private protected override string Method => "nst";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("Weight", Weight), ("Teacher", (double)Teacher) };

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    /// <summary>[N, C, H·W]: each channel's map, L2-normalized over the positions.</summary>
    internal static Tensor Selectivities(Tensor map) => normalize(map.flatten(2), p: 2, dim: 2, eps: 1e-12);

    /// <summary>The kernel's mean over the batch and the pairs of channels of <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static Tensor MeanKernel(Tensor a, Tensor b) => a.bmm(b.transpose(1, 2)).pow(2).mean();

    private sealed class Runtime : TermRuntime
    {
        private readonly NstTerm term;

        public Runtime(NstTerm term)
            : base(term) => this.term = term;

        // Per example: the teacher's normalized channels, and its part of the MMD, which the student does not change.
        public override Tensor[] TeacherSide(TeacherOutputs teachers)
        {
            var teacher = Selectivities(teachers.Layer(term.Teacher, term.TeacherLayer));
            return new[] { teacher, teacher.bmm(teacher.transpose(1, 2)).pow(2).mean(new long[] { 1, 2 }) };
        }

        public override Tensor Compute(TermBatch batch)
        {
            var student = Selectivities(batch.Student.Layer(term.StudentLayer));
            var teacher = batch.Teacher[0];
            return batch.Teacher[1].mean().add(MeanKernel(student, student)).sub(MeanKernel(student, teacher).mul(2)).mul(term.Weight);
        }
    }
}
