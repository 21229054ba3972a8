using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeclarativeDistill.Tests.Data;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Hinted;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;
using Tensor = TorchSharp.torch.Tensor;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>
/// What a network knows of its data travels with it: its input normalisation (a step of forward, in the state_dict, in
/// checkpoints and in the ONNX graph) and its class names (taken from the data by Fit, saved, in predictions and in the
/// ONNX metadata), so that an application feeds raw values and reads names.
/// </summary>
public sealed class NetworkDataTests
{
    private static readonly string[] Names = { "ant", "bee", "cat", "dog" };

    [Fact]
    public void A_network_that_normalises_raw_inputs_trains_as_a_plain_one_on_normalised_data()
    {
        using var raw = Scaled(SyntheticData.Create(120, seed: 81));
        var normalization = Normalization.Fit(raw);
        using var normalized = normalization.Apply(raw);

        manual_seed(82);
        using var plain = new ClusterTeacher();
        manual_seed(82);
        using var withStep = new ClusterTeacher { InputNormalization = normalization };
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 83 };
        var plainLosses = plain.Fit(normalized, options).Epochs.Select(e => e.Loss).ToArray();
        var stepLosses = withStep.Fit(raw, options).Epochs.Select(e => e.Loss).ToArray();

        Assert.Equal(plainLosses.Length, stepLosses.Length);
        Assert.All(plainLosses.Zip(stepLosses), p => SyntheticData.AssertClose(p.First, p.Second, 1e-5, "epoch loss"));
        Assert.Equal(plain.Evaluate(normalized).Errors, withStep.Evaluate(raw).Errors);
        Assert.Equal(new[] { "input_normalization.mean", "input_normalization.std" },
            withStep.state_dict().Keys.Where(k => k.StartsWith("input_normalization", StringComparison.Ordinal)));
    }

    [Fact]
    public void Fit_takes_the_class_names_of_its_data_and_save_and_load_keep_them_with_the_normalisation()
    {
        using var folder = new TempFolder();
        using var raw = Scaled(SyntheticData.Create(80, seed: 84)).WithClassNames(Names);
        manual_seed(85);
        using var model = new ClusterTeacher { InputNormalization = Normalization.Fit(raw) };
        model.Fit(raw, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        Assert.Equal(Names, model.ClassNames);

        string path = folder.File("model.bin");
        model.Save(path);
        using var loaded = ClusterTeacher.Load(path);

        Assert.Equal(Names, loaded.ClassNames);
        Assert.Equal(model.InputNormalization!.Mean, loaded.InputNormalization!.Mean);
        Assert.Equal(model.InputNormalization.Std, loaded.InputNormalization.Std);
        var example = raw.Features[3].data<float>().ToArray();
        var prediction = loaded.Classify(example);
        Assert.Equal(model.Classify(example).Probabilities, prediction.Probabilities);
        Assert.Equal(Names[prediction.Class], prediction.ClassName);

        // A plain network's file still loads into a plain network.
        using var plain = new ClusterTeacher();
        string plainPath = folder.File("plain.bin");
        plain.Save(plainPath);
        using var plainLoaded = ClusterTeacher.Load(plainPath);
        Assert.Null(plainLoaded.InputNormalization);
        Assert.Null(plainLoaded.ClassNames);
    }

    [Fact]
    public void The_onnx_file_standardises_raw_values_per_channel_and_names_the_classes()
    {
        using var folder = new TempFolder();
        using var images = SyntheticData.Images(32, seed: 86);
        using var raw = new LabeledDataset(images.Features * 255, images.Labels.clone()).WithClassNames(Names);
        manual_seed(87);
        using var model = new HintTeacher { InputNormalization = Normalization.Fit(raw) };
        model.Fit(raw, new TrainingOptions { Epochs = 1, BatchSize = 8 });
        string path = folder.File("model.onnx");
        model.ExportOnnx(path);

        using var session = new InferenceSession(path);
        using var batch = raw.Features.narrow(0, 0, 5).reshape(5, -1);
        float[] expected = Logits.Forward(model, batch);
        float[] actual = Logits.Run(session, batch);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4f * Math.Max(1, expected.Max(Math.Abs)), $"largest difference {worst}");

        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(Names, JsonSerializer.Deserialize<string[]>(metadata["class_names"]));
        Assert.Equal("3x8x8", metadata["input_shape"]);
        using var document = JsonDocument.Parse(metadata["input_normalization"]);
        Assert.Equal(model.InputNormalization!.Mean, document.RootElement.GetProperty("mean").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal("channel", document.RootElement.GetProperty("per").GetString());
    }

    [Fact]
    public void A_network_trained_on_raw_pixels_with_its_own_normalisation_exports_a_file_that_takes_raw_pixels()
    {
        using var folder = new TempFolder();
        var (scaled, scaledTest) = Datasets.MnistSample();
        var (raw, rawTest) = Datasets.MnistSample(rawPixels: true);
        using (scaled)
        using (scaledTest)
        using (raw)
        using (rawTest)
        using (var first = raw.Slice(0, 500))
        {
            Assert.True(SyntheticData.Same(scaled.Features, raw.Features / 255f));
            Assert.Equal(255f, raw.Features.max().item<float>());
            manual_seed(91);
            using var model = new Declarations.Vision.SmallConvTeacher { InputNormalization = Normalization.Fit(first) };
            var report = model.Fit(first, new TrainingOptions { Epochs = 1, BatchSize = 50 });
            Assert.Empty(report.Warnings); // raw pixels, but the network normalises them
            string path = folder.File("raw.onnx");
            model.ExportOnnx(path);
            using var session = new InferenceSession(path);
            using var pixels = rawTest.Features.narrow(0, 0, 8);
            float[] expected = Logits.Forward(model, pixels);
            float[] actual = Logits.Run(session, pixels);
            Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-4f * Math.Max(1, expected.Max(Math.Abs)));
        }
    }

    [Fact]
    public void A_student_takes_its_teachers_class_names_and_a_checkpoint_of_another_normalisation_is_refused()
    {
        using var folder = new TempFolder();
        using var raw = Scaled(SyntheticData.Create(64, seed: 88));
        manual_seed(89);
        using var teacher = new ClusterTeacher { ClassNames = Names };
        teacher.Fit(raw, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        using var student = new ClusterStudent();
        student.Distill(teacher, raw, new TrainingOptions { Epochs = 1, BatchSize = 16 });
        Assert.Equal(Names, student.ClassNames);

        var options = new TrainingOptions { Epochs = 1, BatchSize = 16, CheckpointDirectory = folder.File("checkpoints") };
        using (var first = new ClusterTeacher { InputNormalization = Normalization.Fit(raw) })
        {
            first.Fit(raw, options);
        }
        using var other = new ClusterTeacher { InputNormalization = new Normalization(raw.Shape, new float[12], Enumerable.Repeat(2f, 12).ToArray()) };
        var error = Assert.ThrowsAny<Exception>(() => other.Fit(raw, options));
        Assert.Contains("input-normalization", error.Message);
    }

    [Fact]
    public void Mistakes_with_a_networks_data_are_refused_with_what_is_wrong()
    {
        using var raw = SyntheticData.Create(20, seed: 90);
        using var model = new ClusterTeacher();
        var images = new Normalization(FeatureShape.Parse("3x2x2"), new float[3], new[] { 1f, 1f, 1f });
        Assert.Contains("takes examples of 12 features", Assert.Throws<ArgumentException>(() => model.InputNormalization = images).Message);

        model.InputNormalization = Normalization.Fit(raw);
        Assert.Throws<InvalidOperationException>(() => model.InputNormalization = null);

        Assert.Throws<ArgumentException>(() => model.ClassNames = new[] { "a", "b" });
        Assert.Throws<ArgumentException>(() => model.ClassNames = new[] { "a", "b", "a", "c" });
        model.ClassNames = Names;
        using var renamed = raw.WithClassNames(new[] { "w", "x", "y", "z" });
        Assert.Contains("names its classes ant, bee, cat, dog", Assert.Throws<ArgumentException>(() => model.Fit(renamed)).Message);
    }

    /// <summary>The same examples with features far from unit scale: some in the thousands, shifted by 50.</summary>
    private static LabeledDataset Scaled(LabeledDataset data)
    {
        using (data)
        {
            var scales = tensor(Enumerable.Range(0, data.FeatureSize).Select(i => (float)Math.Pow(10, i % 4)).ToArray());
            return new LabeledDataset(data.Features * scales + 50, data.Labels.clone(), data.ClassCount);
        }
    }
}
