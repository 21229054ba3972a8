using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Losses;

/// <summary>
/// Every term's value and gradients against an independent PyTorch implementation of its paper's formula
/// (tools/pytorch-reference/losses.py, Debian's python3-torch): the same seeded inputs in float64, relative tolerance 1e-5.
/// </summary>
public class TermReferenceTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Fixtures => new() { "kd", "dkd", "dist", "attention", "rkd", "similarity", "pkt", "nst" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_terms_value_and_gradients_are_those_of_the_reference(string name)
    {
        var fixture = Load(name);
        using var scope = NewDisposeScope();
        var inputs = fixture.GetProperty("inputs");
        var student = new Dictionary<string, Tensor>();
        foreach (var input in inputs.EnumerateObject().Where(i => i.Name.StartsWith("student_", StringComparison.Ordinal)))
        {
            student[input.Name] = Tensor(input.Value).requires_grad_();
        }
        Tensor? Input(string key) => inputs.TryGetProperty(key, out var value) ? Tensor(value) : null;
        var labels = inputs.TryGetProperty("labels", out var written) ? tensor(written.EnumerateArray().Select(l => l.GetInt64()).ToArray()) : null;
        var constants = fixture.GetProperty("constants");
        double Constant(string key) => constants.GetProperty(key).GetDouble();

        DistillationTerm term = name switch
        {
            "kd" => new SoftTargetTerm(Constant("temperature"), Constant("alpha")),
            "dkd" => new DkdTerm(Constant("temperature"), Constant("alpha"), Constant("beta")),
            "dist" => new DistTerm(Constant("temperature"), Constant("beta"), Constant("gamma")),
            "attention" => new AttentionTransferTerm("map", "map") { Weight = Constant("weight") },
            "rkd" => new RkdTerm("embedding", "embedding") { DistanceWeight = Constant("distanceWeight"), AngleWeight = Constant("angleWeight") },
            "similarity" => new SimilarityPreservingTerm("map", "map") { Weight = Constant("weight") },
            "pkt" => new PktTerm("embedding", "embedding") { Weight = Constant("weight") },
            "nst" => new NstTerm("map", "map") { Weight = Constant("weight") },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var teacherLayers = new Dictionary<(int, string), Tensor>();
        var studentLayers = new Dictionary<string, Tensor>();
        foreach (string layer in new[] { "map", "embedding" })
        {
            if (Input("teacher_" + layer) is { } teacherSide)
            {
                teacherLayers[(0, layer)] = teacherSide;
                studentLayers[layer] = student["student_" + layer];
            }
        }
        var teachers = new TeacherOutputs(new[] { Input("teacher_logits") }, teacherLayers, 8);
        var outputs = new StudentOutputs(student.GetValueOrDefault("student_logits"), studentLayers);

        using var runtime = term.Start(new TermSetup(null!, Array.Empty<Model>(), 5, 1, CPU));
        var side = runtime.TeacherSide(teachers);
        var value = runtime.Compute(new TermBatch(outputs, side, labels, arange(8), 8));
        if (runtime.Constant(teachers) is { } constant)
        {
            value = value + constant.mean(); // what the trainer adds back to the value it reports
        }
        var gradients = autograd.grad(new[] { value }, student.Values.ToArray());

        AssertClose(fixture.GetProperty("value").GetDouble(), value.item<double>(), $"{name}'s value");
        var expected = fixture.GetProperty("grad");
        int i = 0;
        foreach (string key in student.Keys)
        {
            var reference = Tensor(expected.GetProperty(key));
            double scale = Math.Max(reference.abs().max().item<double>(), 1e-12);
            double worst = (gradients[i++] - reference).abs().max().item<double>();
            Assert.True(worst <= Tolerance * scale, $"{name}'s gradient with respect to {key}: off by {worst:G3} for entries up to {scale:G3}");
        }
    }

    [Fact]
    public void The_parts_of_dkd_dist_and_rkd_are_the_references()
    {
        using var scope = NewDisposeScope();
        var dkd = Load("dkd");
        var inputs = dkd.GetProperty("inputs");
        var labels = tensor(inputs.GetProperty("labels").EnumerateArray().Select(l => l.GetInt64()).ToArray());
        var (targetPart, nonTargetPart) = DkdTerm.Parts(Tensor(inputs.GetProperty("student_logits")),
            nn.functional.log_softmax(Tensor(inputs.GetProperty("teacher_logits")) / 4, 1), labels, 4);
        AssertClose(dkd.GetProperty("parts").GetProperty("tckd").GetDouble(), targetPart.item<double>(), "TCKD");
        AssertClose(dkd.GetProperty("parts").GetProperty("nckd").GetDouble(), nonTargetPart.item<double>(), "NCKD");

        var dist = Load("dist");
        inputs = dist.GetProperty("inputs");
        var (inter, intra) = DistTerm.Relations(nn.functional.softmax(Tensor(inputs.GetProperty("student_logits")) / 4, 1),
            nn.functional.softmax(Tensor(inputs.GetProperty("teacher_logits")) / 4, 1));
        AssertClose(dist.GetProperty("parts").GetProperty("inter").GetDouble(), inter.item<double>(), "DIST inter");
        AssertClose(dist.GetProperty("parts").GetProperty("intra").GetDouble(), intra.item<double>(), "DIST intra");

        var rkd = Load("rkd");
        inputs = rkd.GetProperty("inputs");
        var (distance, angle) = RkdTerm.Parts(Tensor(inputs.GetProperty("student_embedding")), Tensor(inputs.GetProperty("teacher_embedding")));
        AssertClose(rkd.GetProperty("parts").GetProperty("distance").GetDouble(), distance.item<double>(), "RKD distance");
        AssertClose(rkd.GetProperty("parts").GetProperty("angle").GetDouble(), angle.item<double>(), "RKD angle");
    }

    [Fact]
    public void Hintons_kd_is_dkd_with_the_non_target_part_weighted_by_one_minus_the_target_probability()
    {
        // The identity of the DKD paper's eq. 4, per example: KL = TCKD + (1 − p_target) · NCKD. At T = 1, with one example.
        using var scope = NewDisposeScope();
        var student = tensor(new double[] { 0.3, -1.2, 2.0, 0.5 }).reshape(1, 4);
        var teacher = tensor(new double[] { 1.5, 0.2, -0.7, 3.0 }).reshape(1, 4);
        var labels = tensor(new long[] { 3 });
        var teacherLog = nn.functional.log_softmax(teacher, 1);
        var (tckd, nckd) = DkdTerm.Parts(student, teacherLog, labels, 1);
        double kl = nn.functional.kl_div(nn.functional.log_softmax(student, 1), teacherLog, reduction: nn.Reduction.Sum, log_target: true).item<double>();
        double notTarget = 1 - teacherLog.exp()[0, 3].item<double>();

        AssertClose(kl, tckd.item<double>() + notTarget * nckd.item<double>(), "eq. 4");
    }

    private static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(PyTorchReference.File(Path.Combine("losses", name + ".json")))).RootElement.Clone();

    /// <summary>A nested JSON array of numbers as a float64 tensor of its shape.</summary>
    private static Tensor Tensor(JsonElement value)
    {
        var shape = new List<long>();
        for (var level = value; level.ValueKind == JsonValueKind.Array; level = level[0])
        {
            shape.Add(level.GetArrayLength());
        }
        var flat = new List<double>();
        void Flatten(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item);
                }
            }
            else
            {
                flat.Add(element.GetDouble());
            }
        }
        Flatten(value);
        return tensor(flat.ToArray()).reshape(shape.ToArray());
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}");
}
