using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

public class GeneratedNetworkTests
{
    [Fact]
    public void Constants_are_computed_at_compile_time_and_match_the_module()
    {
        using var teacher = new ClusterTeacher();

        Assert.Equal(12, ClusterTeacher.InputSize);
        Assert.Equal(4, ClusterTeacher.OutputSize);
        Assert.Equal(12 * 64 + 64 + 64 * 64 + 64 + 64 * 4 + 4, ClusterTeacher.ParameterCount);
        Assert.Equal(ClusterTeacher.ParameterCount, teacher.parameters().Sum(p => p.numel()));
        Assert.Equal("12-64-64-4", ClusterTeacher.Architecture);
        Assert.Equal(12 * 4 + 4, LinearStudent.ParameterCount);
    }

    [Fact]
    public void State_dict_keys_are_stable_and_readable()
    {
        using var teacher = new DropoutTeacher();
        Assert.Equal(
            new[] { "hidden1.bias", "hidden1.weight", "hidden2.bias", "hidden2.weight", "output.bias", "output.weight" },
            teacher.state_dict().Keys.OrderBy(k => k, System.StringComparer.Ordinal));
    }

    [Fact]
    public void Forward_applies_the_declared_activation()
    {
        using var scope = NewDisposeScope();
        var network = new SigmoidBaseline();
        var input = randn(5, 12);
        var state = network.state_dict();

        var hidden = sigmoid(input.matmul(state["hidden1.weight"].t()) + state["hidden1.bias"]);
        var expected = hidden.matmul(state["output.weight"].t()) + state["output.bias"];

        using (no_grad())
        {
            Assert.True(network.forward(input).allclose(expected, rtol: 1e-5, atol: 1e-6));
        }
    }

    [Fact]
    public void Dropout_acts_in_training_mode_only()
    {
        using var scope = NewDisposeScope();
        var network = new DropoutTeacher();
        var input = randn(8, 12);
        using var _ = no_grad();

        network.train();
        Assert.False(SyntheticData.Same(network.forward(input), network.forward(input)));
        network.eval();
        Assert.True(SyntheticData.Same(network.forward(input), network.forward(input)));
    }

    [Fact]
    public void A_teacher_assistant_is_one_network_with_both_roles()
    {
        using var assistant = new AssistantNetwork();
        Assert.Equal(12 * 24 + 24 + 24 * 4 + 4, AssistantNetwork.ParameterCount);
        Assert.Equal(2, AssistantNetwork.Temperature);
        Assert.IsAssignableFrom<nn.Module<Tensor, Tensor>>(assistant);
    }

    [Fact]
    public void Trained_weights_round_trip_through_save_and_load()
    {
        string file = System.IO.Path.GetTempFileName();
        try
        {
            using var data = SyntheticData.Create(256, seed: 40);
            manual_seed(1);
            using var trained = new ClusterTeacher();
            trained.Fit(data, new TrainingOptions { Epochs = 2 });
            trained.save(file);

            manual_seed(2);
            using var restored = new ClusterTeacher();
            restored.load(file);

            using var expected = trained.Predict(data.Features);
            using var actual = restored.Predict(data.Features);
            Assert.True(SyntheticData.Same(expected, actual));
            Assert.Equal(trained.Evaluate(data), restored.Evaluate(data));
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public void Fit_refuses_data_of_the_wrong_width()
    {
        using var network = new ClusterTeacher();
        using var data = new LabeledDataset(zeros(4, 7), tensor(new long[] { 0, 1, 2, 3 }));
        var error = Assert.Throws<System.ArgumentException>(() => network.Fit(data));
        Assert.Contains("takes 12 features per example but the training set has examples of 7 features", error.Message);
    }
}
