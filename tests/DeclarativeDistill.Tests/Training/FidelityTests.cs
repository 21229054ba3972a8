using System;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

public class FidelityTests
{
    [Fact]
    public void Fidelity_is_agreement_and_mean_kl_teacher_to_student_at_temperature_one()
    {
        using var data = SyntheticData.Create(300, seed: 5);
        manual_seed(1);
        using var teacher = new ClusterTeacher();
        using var student = new ClusterStudent();
        using var unlabelled = data.WithoutLabels();
        var fidelity = student.MeasureFidelity(teacher, unlabelled);

        using var _ = no_grad();
        teacher.eval();
        student.eval();
        using var t = nn.functional.log_softmax(teacher.call(data.Features).to_type(ScalarType.Float64), 1);
        using var s = nn.functional.log_softmax(student.call(data.Features).to_type(ScalarType.Float64), 1);
        double kl = (t.exp() * (t - s)).sum(1).mean().item<double>();
        double agreement = t.argmax(1).eq(s.argmax(1)).to_type(ScalarType.Float64).mean().item<double>();

        Assert.Equal(300, fidelity.Count);
        SyntheticData.AssertClose(kl, fidelity.KL, 1e-9, "KL");
        SyntheticData.AssertClose(agreement, fidelity.Agreement, 1e-12, "agreement");
        Assert.True(student.training == false && teacher.training == false);
    }

    [Fact]
    public void A_model_is_perfectly_faithful_to_itself_and_an_ensemble_is_the_average_of_its_probabilities()
    {
        using var data = SyntheticData.Create(200, seed: 6);
        manual_seed(3);
        using var a = new ClusterTeacher();
        using var b = new OtherTeacher();
        var self = Metrics.Fidelity(a, FeatureShape.Parse(ClusterTeacher.InputShape), new[] { a }, data);
        Assert.Equal(1.0, self.Agreement);
        Assert.True(Math.Abs(self.KL) < 1e-12, $"KL to itself {self.KL}");

        using var student = new EnsembleStudent();
        var ensemble = student.MeasureFidelity(a, b, data);
        using var _ = no_grad();
        using var mean = (nn.functional.softmax(a.call(data.Features), 1) + nn.functional.softmax(b.call(data.Features), 1)) / 2;
        using var s = nn.functional.log_softmax(student.call(data.Features), 1);
        double kl = (mean * (mean.log() - s)).sum(1).mean().item<float>();
        SyntheticData.AssertClose(kl, ensemble.KL, 1e-5, "ensemble KL");
    }

    [Fact]
    public void Fidelity_refuses_data_of_another_shape_naming_both()
    {
        using var wrong = LabeledDataset.Unlabeled(zeros(5, 7));
        using var teacher = new ClusterTeacher();
        using var student = new ClusterStudent();
        var error = Assert.Throws<ArgumentException>(() => student.MeasureFidelity(teacher, wrong));
        Assert.Contains("12", error.Message);
        Assert.Contains("7", error.Message);
    }
}
