using System;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Vision;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>What an application calls: classify plain arrays, save and load the weights.</summary>
public sealed class ApplicationApiTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-app-" + Guid.NewGuid().ToString("N"));

    public ApplicationApiTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Classify_gives_the_class_and_softmax_of_forward_for_one_example_or_a_batch()
    {
        manual_seed(3);
        using var model = new ClusterTeacher();
        using var data = SyntheticData.Create(6, seed: 2);
        float[] rows = data.Features.data<float>().ToArray();

        var batch = model.ClassifyBatch(rows);
        var one = model.Classify(rows.AsSpan(2 * ClusterTeacher.InputSize, ClusterTeacher.InputSize));

        using var _ = no_grad();
        using var probabilities = nn.functional.softmax(model.call(data.Features), 1);
        using var predicted = probabilities.argmax(1);
        Assert.Equal(6, batch.Length);
        Assert.Equal(predicted.data<long>().ToArray().Select(c => (int)c), batch.Select(p => p.Class));
        // One example runs through other GEMM kernels than a batch of six: equal to float32 rounding, not bit for bit.
        Assert.All(probabilities[2].data<float>().ToArray().Zip(one.Probabilities), pair => Assert.Equal(pair.First, pair.Second, 1e-6f));
        Assert.Equal(batch[2], one with { Probabilities = batch[2].Probabilities });
        Assert.All(batch, p => Assert.Equal(1f, p.Probabilities.Sum(), 4));
    }

    [Fact]
    public void A_wrong_length_or_a_non_finite_value_is_refused_with_the_expected_size()
    {
        using var model = new SmallConvTeacher();
        var short_ = Assert.Throws<ArgumentException>(() => model.Classify(new float[783]));
        Assert.Contains("takes 784 features per example (a 1x28x28 image); got 783", short_.Message);
        var ragged = Assert.Throws<ArgumentException>(() => model.ClassifyBatch(new float[784 * 2 + 1]));
        Assert.Contains("not a whole number of examples", ragged.Message);
        var nan = new float[784];
        nan[5] = float.NaN;
        Assert.Contains("Feature 5 of example 0 is NaN", Assert.Throws<ArgumentException>(() => model.Classify(nan)).Message);
        Assert.InRange(model.Classify(new float[784]).Class, 0, 9); // an image network takes the 784 values of one image
    }

    [Fact]
    public void Saved_weights_load_into_a_new_network_that_computes_the_same()
    {
        manual_seed(5);
        using var model = new TinyResNet();
        using (var _ = no_grad())
        {
            model.train();
            using var warm = model.call(randn(8, TinyResNet.InputSize)); // running statistics that are not 0 and 1
        }
        string path = Path.Combine(directory, "net.dat");
        model.Save(path);
        using var loaded = TinyResNet.Load(path);

        float[] input = randn(3 * TinyResNet.InputSize).data<float>().ToArray();
        Assert.False(File.Exists(path + ".tmp"));
        Assert.False(loaded.training);
        Assert.Equal(model.ClassifyBatch(input).SelectMany(p => p.Probabilities), loaded.ClassifyBatch(input).SelectMany(p => p.Probabilities));
    }

    [Fact]
    public void Loading_another_architecture_or_a_missing_file_says_which()
    {
        using var model = new ClusterTeacher();
        string path = Path.Combine(directory, "cluster.dat");
        model.Save(path);

        var other = Assert.Throws<InvalidDataException>(() => OtherTeacher.Load(path));
        Assert.Contains("does not hold the weights of OtherTeacher", other.Message);
        Assert.Throws<FileNotFoundException>(() => ClusterTeacher.Load(Path.Combine(directory, "missing.dat")));
    }
}
