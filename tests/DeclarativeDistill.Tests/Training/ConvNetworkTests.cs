using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeclarativeDistill.Tests.Declarations.Vision;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Training;

/// <summary>
/// Networks declared with the architecture grammar: their constants against figures computed by real PyTorch
/// (tools/pytorch-reference/architectures.json), their modules against those constants, both input layouts,
/// data-shape checks, batch norm, and training on real digits.
/// </summary>
public sealed class ConvNetworkTests
{
    private static readonly JsonElement Reference = LoadReference();

    public static readonly TheoryData<string, long, long, Func<Model>> WellKnownNetworks = new()
    {
        { "PyTorchMnistExample", PyTorchMnistExample.ParameterCount, PyTorchMnistExample.MultiplyAdds, () => new PyTorchMnistExample() },
        { "LeNet5", LeNet5.ParameterCount, LeNet5.MultiplyAdds, () => new LeNet5() },
        { "ResNet20", ResNet20.ParameterCount, ResNet20.MultiplyAdds, () => new ResNet20() },
        { "ResNet56", ResNet56.ParameterCount, ResNet56.MultiplyAdds, () => new ResNet56() },
        { "SeparableNet", SeparableNet.ParameterCount, SeparableNet.MultiplyAdds, () => new SeparableNet() },
        { "LayerNormMlp", LayerNormMlp.ParameterCount, LayerNormMlp.MultiplyAdds, () => new LayerNormMlp() },
        { "LayerNormConvNet", LayerNormConvNet.ParameterCount, LayerNormConvNet.MultiplyAdds, () => new LayerNormConvNet() },
    };

    [Theory]
    [MemberData(nameof(WellKnownNetworks))]
    public void Constants_match_pytorchs_figures_and_the_module(string name, long parameters, long multiplyAdds, Func<Model> create)
    {
        var expected = Reference.GetProperty(name);
        Assert.Equal(expected.GetProperty("parameters").GetInt64(), parameters);
        Assert.Equal(expected.GetProperty("multiplyAdds").GetInt64(), multiplyAdds);

        using var network = create();
        Assert.Equal(parameters, network.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Published_figures_hold()
    {
        // LeNet-5: 61,706 parameters; PyTorch's MNIST example: 1,199,882 parameters and 12.0M multiply-adds.
        Assert.Equal(61_706, LeNet5.ParameterCount);
        Assert.Equal(1_199_882, PyTorchMnistExample.ParameterCount);
        // He et al. (2016), table 6: ResNet-20 0.27M and ResNet-56 0.85M parameters (269,722 and 853,018 exactly), with
        // zero-padded identity shortcuts. res(C, stride: 2) uses a 1x1 convolution and bn instead: 16·32 + 2·32 and
        // 32·64 + 2·64 more parameters at the two changes of width.
        const long projections = 16 * 32 + 2 * 32 + 32 * 64 + 2 * 64;
        Assert.Equal(269_722, ResNet20.ParameterCount - projections);
        Assert.Equal(853_018, ResNet56.ParameterCount - projections);
        Assert.Equal(41, Math.Round(ResNet20.MultiplyAdds / 1e6)); // commonly reported as ResNet-20's 41M FLOPs, which count multiply-adds
        Assert.Equal("1x28x28", PyTorchMnistExample.InputShape);
        Assert.Equal(784, PyTorchMnistExample.InputSize);
        Assert.Equal(3072, ResNet20.InputSize);
        Assert.Equal("784", FlatDigitStudent.InputShape);
    }

    [Fact]
    public void A_residual_block_has_torchvisions_state_dict_keys()
    {
        using var network = new ResNet20();
        var keys = network.state_dict().Keys.Where(k => k.StartsWith("res4.", StringComparison.Ordinal))
            .Select(k => k["res4.".Length..]).OrderBy(k => k, StringComparer.Ordinal);
        var torchvision = Reference.GetProperty("BasicBlockKeys").EnumerateArray().Select(k => k.GetString()!);

        Assert.Equal(torchvision, keys);
        Assert.Contains("conv1.weight", network.state_dict().Keys);
        Assert.Contains("bn1.running_var", network.state_dict().Keys);
        Assert.Contains("output.weight", network.state_dict().Keys);
        Assert.DoesNotContain("conv1.bias", network.state_dict().Keys); // followed by bn
    }

    [Fact]
    public void Forward_takes_rows_and_images_alike()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var network = new PyTorchMnistExample();
        network.eval();
        var images = rand(5, 1, 28, 28);

        var fromImages = network.call(images);
        var fromRows = network.call(images.reshape(5, 784));

        Assert.Equal(new long[] { 5, 10 }, fromImages.shape);
        Assert.True(fromImages.allclose(fromRows));

        var mlp = new FlatDigitStudent();
        mlp.eval();
        Assert.True(mlp.call(images).allclose(mlp.call(images.reshape(5, 784))), "an MLP reads an image batch flattened");
    }

    [Fact]
    public void Data_of_another_shape_is_an_argument_error_naming_both_shapes()
    {
        using var network = new LeNet5();
        using var colour = new LabeledDataset(zeros(4, 3, 28, 28), tensor(new long[] { 0, 1, 2, 3 }));
        using var reshaped = new LabeledDataset(zeros(4, 4, 14, 14), tensor(new long[] { 0, 1, 2, 3 }));

        var error = Assert.Throws<ArgumentException>(() => network.Fit(colour));
        Assert.Contains("1x28x28 (784 features)", error.Message);
        Assert.Contains("3x28x28 (2352 features)", error.Message);

        error = Assert.Throws<ArgumentException>(() => network.Evaluate(reshaped));
        Assert.Contains("1x28x28", error.Message);
        Assert.Contains("4x14x14", error.Message);

        using var student = new FlatDigitStudent();
        using var teacher = new SmallConvTeacher();
        Assert.Throws<ArgumentException>(() => student.Distill(teacher, colour));

        using var wrongRows = zeros(2, 100);
        error = Assert.Throws<ArgumentException>(() => network.Predict(wrongRows));
        Assert.Contains("[100]", error.Message);
        using var rows = zeros(2, 784);
        using var images = zeros(2, 1, 28, 28);
        using var predictedFromRows = network.Predict(rows);
        using var predictedFromImages = network.Predict(images);
        Assert.Equal(new long[] { 2 }, predictedFromRows.shape);
        Assert.Throws<ArgumentException>(() => network.Predict(zeros(2, 4, 14, 14)));
    }

    [Fact]
    public void Conv_teachers_learn_real_digits_and_students_of_both_kinds_distil_from_them()
    {
        var (train, test) = Digits(3000, 1000);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var teacher = new SmallConvTeacher();
            teacher.Fit(train, new TrainingOptions { Epochs = 4, LearningRate = 0.05, Seed = 1 });
            var taught = teacher.Evaluate(test);
            Assert.True(taught.Accuracy > 0.93, $"conv teacher accuracy {taught.Accuracy:P1}");

            // The image dataset view works the same as the rows.
            using var images = test.WithShape(FeatureShape.Parse(SmallConvTeacher.InputShape));
            Assert.Equal(taught.Errors, teacher.Evaluate(images).Errors);

            manual_seed(2);
            using var flat = new FlatDigitStudent();
            var report = flat.Distill(teacher, train, new TrainingOptions { Epochs = 4, LearningRate = 0.05, Seed = 2 });
            Assert.True(report.Epochs[^1].Loss < report.Epochs[0].Loss);
            Assert.True(flat.Evaluate(test).Accuracy > 0.85, $"MLP student accuracy {flat.Evaluate(test).Accuracy:P1}");

            manual_seed(3);
            using var conv = new TinyConvStudent();
            using var trainImages = train.WithShape(FeatureShape.Parse(TinyConvStudent.InputShape));
            conv.Distill(teacher, trainImages,
                new TrainingOptions { Epochs = 4, LearningRate = 0.05, Seed = 3 });
            Assert.True(conv.Evaluate(test).Accuracy > 0.85, $"conv student accuracy {conv.Evaluate(test).Accuracy:P1}");
        }
    }

    [Fact]
    public void A_teacher_with_batch_norm_never_moves_its_running_statistics_while_teaching_or_evaluated()
    {
        using var data = SyntheticData.Images(96, seed: 40);
        manual_seed(4);
        using var teacher = new TinyResNet();
        teacher.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 32 });
        var before = Buffers(teacher);
        Assert.Contains(before, b => b.Key.EndsWith("running_mean", StringComparison.Ordinal));

        using var student = new TinyResNetStudent();
        student.Distill(teacher, data, new TrainingOptions { Epochs = 2, BatchSize = 32, CacheTeacherOutputs = false });
        student.Distill(teacher, data, new TrainingOptions { Epochs = 2, BatchSize = 32 });
        teacher.Evaluate(data);

        Assert.All(Buffers(teacher), pair => Assert.True(SyntheticData.Same(before[pair.Key], pair.Value), $"{pair.Key} moved"));
    }

    [Fact]
    public void Batch_norm_statistics_round_trip_through_save_and_load()
    {
        using var data = SyntheticData.Images(64, seed: 41);
        manual_seed(5);
        using var trained = new TinyResNet();
        trained.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        string file = Path.GetTempFileName();
        try
        {
            trained.save(file);
            using var loaded = new TinyResNet();
            loaded.load(file);

            var expected = trained.state_dict();
            Assert.All(loaded.state_dict(), pair => Assert.True(SyntheticData.Same(expected[pair.Key], pair.Value), pair.Key));
            Assert.Equal(trained.Evaluate(data).Loss, loaded.Evaluate(data).Loss);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_resumed_run_restores_batch_norm_statistics_exactly()
    {
        using var data = SyntheticData.Images(96, seed: 42);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 6 };
        var whole = TrainResNet(data, options);

        string directory = Directory.CreateTempSubdirectory("dd-bn-checkpoints-").FullName;
        try
        {
            using var cancellation = new System.Threading.CancellationTokenSource();
            var stopAfter2 = new SynchronousProgress<TrainingProgress>(p => { if (p.IsEndOfEpoch && p.Epoch == 2) cancellation.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() =>
                TrainResNet(data, options with { CheckpointDirectory = directory, CancellationToken = cancellation.Token, Progress = stopAfter2 }));
            var resumed = TrainResNet(data, options with { CheckpointDirectory = directory });

            Assert.All(whole, pair => Assert.True(SyntheticData.Same(pair.Value, resumed[pair.Key]), pair.Key));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_last_batch_of_one_joins_the_batch_before_it()
    {
        // 129 examples in batches of 128: batch norm cannot train on a batch of one.
        using var data = SyntheticData.Create(129, seed: 43);
        manual_seed(7);
        using var network = new NormalizedMlp();
        var batches = new List<int>();
        var report = network.Fit(data, new TrainingOptions
        {
            Epochs = 1, BatchSize = 128, ProgressIntervalBatches = 1, Progress = new SynchronousProgress<TrainingProgress>(p => batches.Add(p.BatchesPerEpoch)),
        });

        Assert.Equal(1, batches.Distinct().Single());
        Assert.True(double.IsFinite(report.FinalLoss));
    }

    [Fact]
    public void Training_invokes_the_model_so_that_forward_hooks_run()
    {
        using var data = SyntheticData.Create(64, seed: 44);
        using var network = new NormalizedMlp();
        int calls = 0;
        var hook = network.register_forward_hook((_, _, output) => { calls++; return output; });

        network.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 32 });
        network.Evaluate(data);
        hook.remove();

        Assert.Equal(3, calls);
    }

    [Fact]
    public void Augmentations_work_on_colour_images_in_either_layout()
    {
        using var scope = NewDisposeScope();
        var shape = FeatureShape.Parse("3x8x8");
        manual_seed(8);
        var images = rand(16, 3, 8, 8);

        var cropped = Augmentations.RandomCrop(shape, 2)(images);
        var flippedAll = Augmentations.HorizontalFlip(shape, probability: 1)(images.reshape(16, 192));
        var composed = Augmentations.Compose(Augmentations.RandomShift(shape, 1), Augmentations.HorizontalFlip(shape))(images);

        Assert.Equal(images.shape, cropped.shape);
        Assert.Equal(new long[] { 16, 192 }, flippedAll.shape);
        Assert.True(SyntheticData.Same(flippedAll.reshape(16, 3, 8, 8).flip(3), images), "a flip with probability 1 mirrors every image");
        Assert.Equal(images.shape, composed.shape);
        Assert.False(SyntheticData.Same(cropped, images), "some image moved");
        Assert.Throws<ArgumentException>(() => Augmentations.RandomShift(shape, 1)(rand(2, 100)));
    }

    private static Dictionary<string, Tensor> TrainResNet(LabeledDataset data, TrainingOptions options)
    {
        manual_seed(9);
        using var network = new TinyResNet();
        network.Fit(data, options);
        return network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
    }

    private static Dictionary<string, Tensor> Buffers(Model model) =>
        model.named_buffers().ToDictionary(b => b.name, b => b.buffer.detach().clone());

    private static (LabeledDataset Train, LabeledDataset Test) Digits(int trainCount, int testCount)
    {
        var (train, test) = Datasets.MnistSample();
        using (train)
        using (test)
        {
            return (train.Slice(0, trainCount), test.Slice(0, testCount));
        }
    }

    private static JsonElement LoadReference()
    {
        return JsonDocument.Parse(File.ReadAllText(PyTorchReference.File("architectures.json"))).RootElement.Clone();
    }
}
