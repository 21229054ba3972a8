using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Vision;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>
/// Calibrated static int8 exports (QDQ), run by ONNX Runtime: the integer kernels it fuses them into, their accuracy
/// against the float32 file's, and the choices of <see cref="Calibration"/>.
/// </summary>
public sealed class StaticInt8ExportTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-int8-" + Guid.NewGuid().ToString("N"));

    public StaticInt8ExportTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void A_calibrated_conv_network_runs_in_integer_kernels_and_keeps_its_accuracy(CalibrationMethod method)
    {
        var (train, test) = OnnxExportTests.Digits();
        using (train)
        using (test)
        {
            manual_seed(4);
            using var model = new SmallConvTeacher(); // conv(16, 5), bn, maxpool, conv(32, 5), bn, maxpool, 64, 10
            model.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 4 });
            string floatPath = Path.Combine(directory, "float.onnx"), int8Path = Path.Combine(directory, $"{method}.onnx");
            model.ExportOnnx(floatPath);
            model.ExportOnnx(int8Path, new Calibration(train) { Method = method, Examples = 512 });

            // ONNX Runtime fuses the QDQ groups: the second convolution and the hidden layer run in int8; the first
            // convolution (one input channel) and the output layer stay float32, as Calibration documents.
            var fused = Optimized(int8Path);
            Assert.Equal(1, fused.Count(op => op == "QLinearConv"));
            Assert.Equal(1, fused.Count(op => op == "QGemm"));
            Assert.Equal(1, fused.Count(op => op == "Conv"));
            Assert.Equal(1, fused.Count(op => op == "Gemm"));
            Assert.True(new FileInfo(int8Path).Length < 0.3 * new FileInfo(floatPath).Length);

            double floatAccuracy = Accuracy(floatPath, test), int8Accuracy = Accuracy(int8Path, test);
            Assert.True(Math.Abs(floatAccuracy - int8Accuracy) <= 0.01, $"{method}: float32 {floatAccuracy:P1}, int8 {int8Accuracy:P1}");
            Assert.True(floatAccuracy > 0.85, $"the network learned: {floatAccuracy:P1}");
        }
    }

    [Fact]
    public void A_calibrated_mlp_multiplies_its_hidden_layers_in_int8_and_agrees_with_float()
    {
        var (train, test) = SyntheticData.Split(1500, 1000, seed: 5);
        using (train)
        using (test)
        {
            manual_seed(5);
            using var model = new ClusterTeacher(); // 12, 64, 64, 4
            model.Fit(train, new TrainingOptions { Epochs = 8, BatchSize = 64, Seed = 5 });
            string floatPath = Path.Combine(directory, "float.onnx"), int8Path = Path.Combine(directory, "int8.onnx");
            model.ExportOnnx(floatPath);
            model.ExportOnnx(int8Path, new Calibration(train));

            var fused = Optimized(int8Path);
            Assert.Equal(2, fused.Count(op => op == "QGemm"));
            Assert.Equal(1, fused.Count(op => op == "Gemm"));
            Assert.Equal(1.0, Agreement(floatPath, int8Path, test), 0.02);

            var metadata = ModelProto.Parser.ParseFrom(File.ReadAllBytes(int8Path)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Contains("\"float32_layers\":[\"output\"]", metadata["quantization"]);
            Assert.Equal("12", metadata["input_shape"]);
        }
    }

    [Fact]
    public void An_empty_keep_float_list_quantizes_every_layer_and_an_unknown_module_is_named()
    {
        var (train, _) = SyntheticData.Split(300, 10, seed: 6);
        using (train)
        {
            using var model = new ClusterTeacher();
            string path = Path.Combine(directory, "all.onnx");
            model.ExportOnnx(path, new Calibration(train) { KeepFloat = Array.Empty<string>() });
            var fused = Optimized(path);
            Assert.Equal(3, fused.Count(op => op == "QGemm"));
            Assert.DoesNotContain("Gemm", fused);

            var error = Assert.Throws<ArgumentException>(() => model.ExportOnnx(Path.Combine(directory, "bad.onnx"), new Calibration(train) { KeepFloat = new[] { "hidden3" } }));
            Assert.Contains("hidden3", error.Message);
            Assert.Contains("hidden1, hidden2, output", error.Message);
            Assert.False(File.Exists(Path.Combine(directory, "bad.onnx")));
        }
    }

    [Fact]
    public void A_network_whose_layers_are_all_kept_by_default_keeps_only_its_output_layer_and_an_explicit_list_of_all_is_refused()
    {
        manual_seed(11);
        using var model = new LayerNormConvNet(); // conv(4, 3) over one channel, then the output layer
        using var features = rand(64, LayerNormConvNet.InputSize);
        using var labels = zeros(64, dtype: ScalarType.Int64);
        using var data = new LabeledDataset(features, labels, LayerNormConvNet.OutputSize);
        string path = Path.Combine(directory, "tiny.onnx");
        model.ExportOnnx(path, new Calibration(data));
        Assert.Contains("\"float32_layers\":[\"output\"]", ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).MetadataProps.Single(p => p.Key == "quantization").Value);
        Assert.Contains("QLinearConv", Optimized(path));

        var refused = Assert.Throws<ArgumentException>(() => model.ExportOnnx(path, new Calibration(data) { KeepFloat = new[] { "conv1", "output" } }));
        Assert.Contains("keeps every layer of LayerNormConvNet float32 (conv1, output)", refused.Message);
    }

    [Fact]
    public void A_calibration_set_of_another_shape_is_refused_before_anything_is_written()
    {
        var (train, test) = OnnxExportTests.Digits();
        using (train)
        using (test)
        {
            using var model = new ClusterTeacher();
            string path = Path.Combine(directory, "x.onnx");
            var error = Assert.Throws<ArgumentException>(() => model.ExportOnnx(path, new Calibration(train)));
            Assert.Contains("calibration set", error.Message);
            Assert.False(File.Exists(path));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Calibration(train) { Percentile = 40 });
            Assert.Throws<ArgumentOutOfRangeException>(() => new Calibration(train) { Examples = 0 });
        }
    }

    public static TheoryData<string> Networks => OnnxExportTests.Networks;

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_network_exports_calibrated_int8_close_to_its_float_logits(string name)
    {
        manual_seed(8);
        var (model, export, inputSize, outputSize) = OnnxExportTests.Create(name);
        using (model)
        {
            OnnxExportTests.WarmUpBatchNorm(model, inputSize);
            using var features = randn(256, inputSize) * 2 + 0.5;
            using var labels = zeros(256, dtype: ScalarType.Int64);
            using var data = new LabeledDataset(features.reshape(((IGeneratedNetwork)model).Description.Input.BatchShape(256)), labels, outputSize);
            string floatPath = Path.Combine(directory, name + ".onnx"), int8Path = Path.Combine(directory, name + ".int8.onnx");
            export(floatPath, OnnxWeights.Float32);
            var calibration = new Calibration(data);
            ((IGeneratedNetwork)model).ExportOnnx(int8Path, calibration);

            using var single = new InferenceSession(floatPath);
            using var int8 = new InferenceSession(int8Path);
            float[] expected = Logits.Run(single, features), actual = Logits.Run(int8, features);
            double spread = Math.Sqrt(expected.Average(e => e * e));
            double error = Math.Sqrt(expected.Zip(actual, (e, a) => (e - a) * (e - a)).Average());
            Assert.True(error < 0.1 * spread, $"{name}: int8 logits off by {error:G3} (root mean square) for logits of {spread:G3}");
            Assert.Contains(Optimized(int8Path), op => op is "QLinearConv" or "QGemm" or "QLinearAdd");
        }
    }

    [Fact]
    public void Folding_batch_norm_into_the_layer_before_it_computes_the_same_logits()
    {
        manual_seed(9);
        using var model = new TinyResNet();
        OnnxExportTests.WarmUpBatchNorm(model, TinyResNet.InputSize);
        var original = OnnxExport.Build(model, TinyResNet.Description);
        var folded = QdqRewriter.FoldBatchNorms(original);
        Assert.Contains(original.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.DoesNotContain(folded.Graph.Node, n => n.OpType == "BatchNormalization");

        using var features = randn(8, TinyResNet.InputSize);
        using var before = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(original));
        using var after = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(folded));
        float[] expected = Logits.Run(before, features), actual = Logits.Run(after, features);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-4f * Math.Max(1, expected.Max(Math.Abs)));
    }

    /// <summary>The operators ONNX Runtime runs the file with, after its graph optimizations (without layout changes).</summary>
    internal static List<string> Optimized(string path)
    {
        string optimized = path + ".optimized.onnx";
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
        using (new InferenceSession(path, options))
        {
        }
        var ops = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node.Select(n => n.OpType).ToList();
        File.Delete(optimized);
        return ops;
    }

    private static double Accuracy(string path, LabeledDataset test)
    {
        using var session = new InferenceSession(path);
        using var features = test.Features.reshape(test.Count, -1);
        float[] logits = Logits.Run(session, features);
        long[] labels = test.Labels.data<long>().ToArray();
        int classes = logits.Length / test.Count;
        return (double)Enumerable.Range(0, test.Count).Count(i => OnnxExportTests.ArgMax(logits, i, classes) == labels[i]) / test.Count;
    }

    private static double Agreement(string first, string second, LabeledDataset test)
    {
        using var a = new InferenceSession(first);
        using var b = new InferenceSession(second);
        using var features = test.Features.reshape(test.Count, -1);
        float[] x = Logits.Run(a, features), y = Logits.Run(b, features);
        int classes = x.Length / test.Count;
        return (double)Enumerable.Range(0, test.Count).Count(i => OnnxExportTests.ArgMax(x, i, classes) == OnnxExportTests.ArgMax(y, i, classes)) / test.Count;
    }
}
