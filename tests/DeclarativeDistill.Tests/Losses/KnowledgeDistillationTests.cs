using System;
using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static DeclarativeDistill.Tests.SyntheticData;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Losses;

public class KnowledgeDistillationTests
{
    [Fact]
    public void Soft_term_matches_a_hand_computed_value()
    {
        // Teacher logits [ln 3, 0] at T = 2 give p = [√3, 1] / (√3 + 1); equal student logits give q = [½, ½].
        // KL(p ‖ q) = Σ p ln(2p), times T² = 4.
        double p0 = Math.Sqrt(3) / (Math.Sqrt(3) + 1), p1 = 1 / (Math.Sqrt(3) + 1);
        double expected = 4 * (p0 * Math.Log(2 * p0) + p1 * Math.Log(2 * p1));

        using var student = tensor(new float[] { 0, 0 }).reshape(1, 2);
        using var teacher = tensor(new float[] { (float)Math.Log(3), 0 }).reshape(1, 2);
        using var labels = tensor(new long[] { 0 });
        using var loss = KnowledgeDistillation.Loss(student, teacher, labels, temperature: 2, alpha: 1, beta: 0);

        AssertClose(expected, loss.item<float>(), 1e-6, "Alpha · T² · KL");
        AssertClose(0.1453631, expected, 1e-6, "the hand-computed value itself");
    }

    [Fact]
    public void Hard_term_is_cross_entropy_at_temperature_one()
    {
        // Uniform logits over two classes: CE = ln 2 whatever the temperature.
        using var student = tensor(new float[] { 0, 0 }).reshape(1, 2);
        using var teacher = tensor(new float[] { 5, -5 }).reshape(1, 2);
        using var labels = tensor(new long[] { 1 });
        using var loss = KnowledgeDistillation.Loss(student, teacher, labels, temperature: 20, alpha: 0, beta: 1);

        AssertClose(Math.Log(2), loss.item<float>(), 1e-6, "Beta · CE");
    }

    [Theory]
    [InlineData(1.0, 0.9, 0.1)]
    [InlineData(4.0, 0.5, 0.5)]
    [InlineData(20.0, 0.9, 0.1)]
    [InlineData(0.5, 0.3, 0.0)]
    [InlineData(7.0, 0.0, 1.0)]
    public void Whole_loss_matches_a_double_precision_reference(double temperature, double alpha, double beta)
    {
        using var generator = new Generator(7);
        using var student = randn(new long[] { 5, 3 }, generator: generator) * 3;
        using var teacher = randn(new long[] { 5, 3 }, generator: generator) * 3;
        using var labels = tensor(new long[] { 0, 2, 1, 1, 0 });

        using var loss = KnowledgeDistillation.Loss(student, teacher, labels, temperature, alpha, beta);

        double expected = Reference(Rows(student), Rows(teacher), labels.data<long>().ToArray(), temperature, alpha, beta);
        AssertClose(expected, loss.item<float>(), 1e-5 * Math.Max(1, Math.Abs(expected)), $"loss at T = {temperature}");
    }

    [Theory]
    [InlineData(1.0, 0.9, 0.1)]
    [InlineData(20.0, 0.9, 0.1)]
    [InlineData(0.5, 0.3, 0.0)]
    [InlineData(7.0, 0.0, 1.0)]
    public void The_cached_form_has_the_same_gradient_and_with_its_offsets_the_same_value(double temperature, double alpha, double beta)
    {
        using var generator = new Generator(5);
        using var teacher = randn(new long[] { 6, 4 }, generator: generator) * 3;
        using var labels = tensor(new long[] { 0, 3, 1, 2, 2, 0 });
        using var exactLogits = (randn(new long[] { 6, 4 }, generator: generator) * 3).requires_grad_();
        using var cachedLogits = exactLogits.detach().clone().requires_grad_();

        using var exact = KnowledgeDistillation.Loss(exactLogits, teacher, labels, temperature, alpha, beta);
        exact.backward();
        // The soft-target term as the trainer runs it from a cache: the teacher's side kept per example, its constant
        // part (offsets) left out of the value and added back when reported.
        var objective = new DistillationObjective(temperature, alpha, beta);
        var setup = new TermSetup(null!, Array.Empty<TorchSharp.torch.nn.Module<Tensor, Tensor>>(), 4, 1, CPU);
        var teachers = new TeacherOutputs(new Tensor?[] { teacher }, new Dictionary<(int, string), Tensor>(), 6);
        var student = new StudentOutputs(cachedLogits, new Dictionary<string, Tensor>());
        Tensor? cached = null;
        Tensor? offsets = null;
        foreach (var term in objective.AllTerms)
        {
            using var runtime = term.Start(setup);
            var side = runtime.TeacherSide(teachers);
            offsets ??= runtime.Constant(teachers);
            var value = runtime.Compute(new TermBatch(student, side, labels, arange(6), 6));
            cached = cached is null ? value : cached.add(value);
        }
        cached!.backward();

        double offset = offsets is null ? 0 : offsets.mean().item<double>();
        AssertClose(exact.item<float>(), cached.item<float>() + offset, 1e-5 * Math.Max(1, Math.Abs(exact.item<float>())), "value");
        Assert.True(exactLogits.grad!.allclose(cachedLogits.grad!, rtol: 1e-4, atol: 1e-6), "gradients differ");
        Assert.Equal(alpha == 0, offsets is null);
    }

    [Theory]
    [InlineData(0.0, 0.5, 0.5)]
    [InlineData(double.NaN, 0.5, 0.5)]
    [InlineData(2.0, -0.1, 0.5)]
    [InlineData(2.0, 0.5, double.PositiveInfinity)]
    public void An_objective_with_an_invalid_constant_is_refused(double temperature, double alpha, double beta)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationObjective(temperature, alpha, beta));
    }

    [Fact]
    public void Identical_logits_have_no_soft_loss()
    {
        using var logits = tensor(new float[] { 1, 2, 3, -1, 0, 4 }).reshape(2, 3);
        using var labels = tensor(new long[] { 2, 2 });
        using var loss = KnowledgeDistillation.Loss(logits, logits.clone(), labels, temperature: 5, alpha: 1, beta: 0);

        AssertClose(0, loss.item<float>(), 1e-6, "KL of a distribution with itself");
    }

    [Fact]
    public void Gradient_reaches_the_student_and_not_the_teacher()
    {
        using var student = tensor(new float[] { 0.5f, -0.2f, 1 }).reshape(1, 3).requires_grad_();
        using var teacher = tensor(new float[] { 2, 0, -1 }).reshape(1, 3).requires_grad_();
        using var labels = tensor(new long[] { 0 });

        using var loss = KnowledgeDistillation.Loss(student, teacher, labels, 3, 0.9, 0.1);
        loss.backward();

        Assert.NotNull(student.grad);
        Assert.True(student.grad!.abs().sum().item<float>() > 0);
        Assert.True(teacher.grad is null || teacher.grad.abs().sum().item<float>() == 0);
    }

    [Fact]
    public void Generated_loss_binds_the_declared_constants()
    {
        using var generator = new Generator(3);
        using var student = randn(new long[] { 4, 4 }, generator: generator);
        using var teacher = randn(new long[] { 4, 4 }, generator: generator);
        using var labels = tensor(new long[] { 0, 1, 2, 3 });

        using var generated = ClusterStudent.DistillationLoss(student, teacher, labels);
        using var direct = KnowledgeDistillation.Loss(student, teacher, labels, 4, 0.9, 1 - 0.9);

        Assert.Equal(4, ClusterStudent.Temperature);
        Assert.Equal(0.9, ClusterStudent.Alpha);
        Assert.Equal(1 - 0.9, ClusterStudent.Beta);
        Assert.Equal(0.5, EnsembleStudent.Beta);
        Assert.Equal(direct.item<float>(), generated.item<float>());
    }

    [Fact]
    public void Ensemble_logits_soften_to_the_average_of_the_teachers_probabilities()
    {
        const double temperature = 3;
        using var generator = new Generator(11);
        using var first = randn(new long[] { 6, 5 }, generator: generator) * 4;
        using var second = randn(new long[] { 6, 5 }, generator: generator) * 4;

        using var combined = KnowledgeDistillation.EnsembleLogits(new[] { first, second }, temperature);
        using var softened = nn.functional.softmax(combined / temperature, 1);
        using var average = (nn.functional.softmax(first / temperature, 1) + nn.functional.softmax(second / temperature, 1)) / 2;

        Assert.True(softened.allclose(average, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void An_invalid_temperature_is_refused(double temperature)
    {
        using var logits = zeros(1, 2);
        using var labels = tensor(new long[] { 0 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KnowledgeDistillation.Loss(logits, logits, labels, temperature, 0.5, 0.5));
        Assert.Contains("temperature", error.Message);
    }

    [Fact]
    public void Mismatched_shapes_are_refused_with_both_shapes()
    {
        using var student = zeros(2, 3);
        using var teacher = zeros(2, 4);
        using var labels = tensor(new long[] { 0, 1 });
        var error = Assert.Throws<ArgumentException>(() => KnowledgeDistillation.Loss(student, teacher, labels, 2, 0.5, 0.5));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[2, 4]", error.Message);
    }

    private static double[][] Rows(Tensor t) =>
        Enumerable.Range(0, (int)t.shape[0]).Select(i => t[i].data<float>().Select(v => (double)v).ToArray()).ToArray();

    /// <summary>The definition, in double precision, written independently of TorchSharp.</summary>
    private static double Reference(double[][] s, double[][] t, long[] y, double temperature, double alpha, double beta)
    {
        double kl = 0, ce = 0;
        for (int n = 0; n < s.Length; n++)
        {
            double[] q = Softmax(s[n].Select(v => v / temperature).ToArray());
            double[] p = Softmax(t[n].Select(v => v / temperature).ToArray());
            kl += p.Select((pi, i) => pi * (Math.Log(pi) - Math.Log(q[i]))).Sum();
            ce -= Math.Log(Softmax(s[n])[y[n]]);
        }
        return alpha * temperature * temperature * kl / s.Length + beta * ce / s.Length;
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
