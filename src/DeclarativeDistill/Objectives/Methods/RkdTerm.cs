using System.Collections.Generic;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill;

/// <summary>
/// Relational knowledge distillation (Park, Kim, Lu and Cho, CVPR 2019), distance- and angle-wise: the student's
/// examples should keep the teacher's pairwise distances (each side divided by its mean distance) and the angles its
/// triples form, compared by the Huber loss. An embedding is a vector layer's output, or a feature map's channel means
/// (global average pooling: the embedding a CNN's classifier reads); teacher and student may differ in width. Value
/// <c>DistanceWeight · distance + AngleWeight · angle</c>, the Huber losses averaged over all N² distances and N³ angles
/// (the authors' code). The angles cost N²·D memory for embeddings of width D.
/// </summary>
public sealed record RkdTerm : LayerPairTerm
{
    private readonly double distanceWeight = 25;
    private readonly double angleWeight = 50;

    /// <param name="teacherLayer">The teacher's layer, whose output is the embedding (a map's channel means).</param>
    /// <param name="studentLayer">The student's layer.</param>
    public RkdTerm(string teacherLayer, string studentLayer)
        : base(teacherLayer, studentLayer)
    {
    }

    /// <summary>Weight of the distance term: finite and non-negative. Default 25, the paper's.</summary>
    public double DistanceWeight { get => distanceWeight; init => distanceWeight = CheckWeight(value, nameof(DistanceWeight), zero: true); }

    /// <summary>Weight of the angle term: finite and non-negative. Default 50, the paper's.</summary>
    public double AngleWeight { get => angleWeight; init => angleWeight = CheckWeight(value, nameof(AngleWeight), zero: true); }

    private protected override string Method => "rkd";

    internal override IEnumerable<(string Key, double Value)> Constants => new[]
    {
        ("DistanceWeight", DistanceWeight), ("AngleWeight", AngleWeight), ("Teacher", (double)Teacher),
    };

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    /// <summary>The two Huber losses, unweighted: distances (each side over its mean positive distance) and angles.</summary>
    internal static (Tensor Distance, Tensor Angle) Parts(Tensor student, Tensor teacher)
    {
        var distances = Distances(student);
        var teacherDistances = Distances(teacher);
        var distance = smooth_l1_loss(distances / distances.masked_select(distances.gt(0)).mean(),
            teacherDistances / teacherDistances.masked_select(teacherDistances.gt(0)).mean());
        var angle = smooth_l1_loss(Angles(student), Angles(teacher));
        return (distance, angle);
    }

    /// <summary>Pairwise Euclidean distances, the diagonal set to 0 (no gradient flows through it).</summary>
    private static Tensor Distances(Tensor embeddings)
    {
        var squares = embeddings.pow(2).sum(1);
        var distances = (squares.unsqueeze(1) + squares.unsqueeze(0) - 2 * embeddings.matmul(embeddings.t())).clamp_min(1e-12).sqrt();
        return distances * (1 - eye(embeddings.shape[0], dtype: embeddings.dtype, device: embeddings.device));
    }

    /// <summary>For every (j, i, k) the cosine of the angle at j between i and k, flattened; the zero vectors i = j stay zero.</summary>
    private static Tensor Angles(Tensor embeddings)
    {
        var differences = normalize(embeddings.unsqueeze(0) - embeddings.unsqueeze(1), p: 2, dim: 2, eps: 1e-12);
        return differences.bmm(differences.transpose(1, 2)).flatten();
    }

    private sealed class Runtime : TermRuntime
    {
        private readonly RkdTerm term;

        public Runtime(RkdTerm term)
            : base(term) => this.term = term;

        public override Tensor[] TeacherSide(TeacherOutputs teachers) => new[] { Embedding(teachers.Layer(term.Teacher, term.TeacherLayer)) };

        public override Tensor Compute(TermBatch batch)
        {
            var (distance, angle) = Parts(Embedding(batch.Student.Layer(term.StudentLayer)), batch.Teacher[0]);
            return distance.mul(term.DistanceWeight).add(angle.mul(term.AngleWeight));
        }
    }
}
