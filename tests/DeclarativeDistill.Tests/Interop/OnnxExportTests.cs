using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Vision;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;
using Tensor = TorchSharp.torch.Tensor;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>Exported networks, run by ONNX Runtime and compared with <c>forward</c> in evaluation mode.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-onnx-" + Guid.NewGuid().ToString("N"));

    public OnnxExportTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Networks => new()
    {
        nameof(ClusterTeacher), nameof(OtherTeacher), nameof(DropoutTeacher), nameof(SigmoidBaseline), nameof(NormalizedMlp),
        nameof(PyTorchMnistExample), nameof(LeNet5), nameof(SeparableNet), nameof(SmallConvTeacher), nameof(TinyResNet), nameof(ResNet20),
        nameof(LayerNormMlp), nameof(LayerNormConvNet),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void An_exported_network_gives_the_logits_of_forward_in_onnx_runtime(string name)
    {
        manual_seed(7);
        var (model, export, inputSize, outputSize) = Create(name);
        using (model)
        {
            WarmUpBatchNorm(model, inputSize);
            string path = Path.Combine(directory, name + ".onnx");
            export(path, OnnxWeights.Float32);

            using var session = new InferenceSession(path);
            Assert.Equal("input", session.InputMetadata.Keys.Single());
            Assert.Equal(new[] { -1, inputSize }, session.InputMetadata["input"].Dimensions);
            Assert.Equal("logits", session.OutputMetadata.Keys.Single());
            Assert.Equal(new[] { -1, outputSize }, session.OutputMetadata["logits"].Dimensions);
            Assert.False(File.Exists(path + ".tmp"));

            foreach (int batch in new[] { 1, 5 })
            {
                using var features = randn(batch, inputSize);
                float[] expected = Logits.Forward(model, features);
                float[] actual = Logits.Run(session, features);
                float scale = Math.Max(1, expected.Max(Math.Abs));
                float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
                Assert.True(worst <= 2e-5f * scale, $"{name}, batch {batch}: largest difference {worst} for logits up to {scale}");
            }
        }
    }

    [Fact]
    public void An_int8_export_is_about_a_quarter_of_the_size()
    {
        manual_seed(3);
        using var model = new PyTorchMnistExample(); // 1.2 million parameters
        string floatPath = Path.Combine(directory, "float.onnx"), int8Path = Path.Combine(directory, "int8.onnx");
        model.ExportOnnx(floatPath);
        model.ExportOnnx(int8Path, OnnxWeights.Int8);

        Assert.InRange(new FileInfo(floatPath).Length, 4 * PyTorchMnistExample.ParameterCount, 4 * PyTorchMnistExample.ParameterCount + 4096);
        double ratio = (double)new FileInfo(int8Path).Length / new FileInfo(floatPath).Length;
        Assert.InRange(ratio, 0.25, 0.26);
    }

    [Fact]
    public void An_int8_export_computes_the_quantized_weights_and_agrees_with_float()
    {
        var (train, test) = SyntheticData.Split(1500, 1000, seed: 1);
        using (train)
        using (test)
        {
            manual_seed(1);
            using var model = new ClusterTeacher();
            model.Fit(train, new TrainingOptions { Epochs = 8, BatchSize = 64, Seed = 1 });
            string floatPath = Path.Combine(directory, "float.onnx"), int8Path = Path.Combine(directory, "int8.onnx");
            model.ExportOnnx(floatPath);
            model.ExportOnnx(int8Path, OnnxWeights.Int8);

            using var int8 = new InferenceSession(int8Path);
            using var single = new InferenceSession(floatPath);
            float[] quantizedLogits = Logits.Run(int8, test.Features);
            float[] floatLogits = Logits.Run(single, test.Features);

            // The int8 file computes exactly what the dequantized weights compute in TorchSharp.
            using var quantized = Int8Quantization.Quantize(model);
            using var copy = new ClusterTeacher();
            copy.load_state_dict(model.state_dict());
            quantized.ApplyTo(copy);
            float[] dequantized = Logits.Forward(copy, test.Features);
            Assert.True(dequantized.Zip(quantizedLogits, (e, a) => Math.Abs(e - a)).Max() < 1e-4f);

            int classes = ClusterTeacher.OutputSize;
            int agree = Enumerable.Range(0, test.Count).Count(i => ArgMax(quantizedLogits, i, classes) == ArgMax(floatLogits, i, classes));
            Assert.True(agree >= 0.98 * test.Count, $"int8 and float agree on {agree} of {test.Count}");
        }
    }

    [Theory]
    [InlineData(nameof(ClusterTeacher))]
    [InlineData(nameof(SmallConvTeacher))]
    public void A_dynamic_int8_export_multiplies_in_integers_and_agrees_with_float(string name)
    {
        var (train, test) = name == nameof(ClusterTeacher) ? SyntheticData.Split(1500, 1000, seed: 2) : Digits();
        using (train)
        using (test)
        {
            manual_seed(2);
            var (model, export, _, outputSize) = Create(name);
            using (model)
            {
                Trainer.Fit(model, FeatureShape.Parse(((IGeneratedNetwork)model).Description.Input.ToString()), outputSize, train,
                    new TrainingOptions { Epochs = 3, BatchSize = 64, Seed = 2 });
                string floatPath = Path.Combine(directory, "float.onnx"), dynamicPath = Path.Combine(directory, "dynamic.onnx");
                export(floatPath, OnnxWeights.Float32);
                export(dynamicPath, OnnxWeights.DynamicInt8);

                var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(dynamicPath)).Graph;
                int linears = ((IGeneratedNetwork)model).Description.Operations.OfType<DeclarativeDistill.Operations.Linear>().Count();
                Assert.Equal(linears, graph.Node.Count(n => n.OpType == "MatMulInteger"));
                Assert.Equal(linears, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
                Assert.DoesNotContain(graph.Node, n => n.OpType == "Gemm");
                Assert.True(new FileInfo(dynamicPath).Length < 0.45 * new FileInfo(floatPath).Length, "int8 weights: less than half the size, however small the network");

                using var dynamic = new InferenceSession(dynamicPath);
                using var single = new InferenceSession(floatPath);
                using var features = test.Features.reshape(test.Count, -1);
                float[] integerLogits = Logits.Run(dynamic, features);
                float[] floatLogits = Logits.Run(single, features);
                int agree = Enumerable.Range(0, test.Count).Count(i => ArgMax(integerLogits, i, outputSize) == ArgMax(floatLogits, i, outputSize));
                Assert.True(agree >= 0.98 * test.Count, $"{name}: dynamic int8 and float agree on {agree} of {test.Count}");
                float scale = floatLogits.Max(Math.Abs);
                float worst = integerLogits.Zip(floatLogits, (a, e) => Math.Abs(a - e)).Max();
                Assert.True(worst < 0.1f * scale, $"{name}: logits differ by up to {worst} for logits up to {scale}");
            }
        }
    }

    /// <summary>1,500 and 500 of the embedded digits.</summary>
    internal static (LabeledDataset Train, LabeledDataset Test) Digits()
    {
        var (train, test) = Datasets.MnistSample();
        using (train)
        using (test)
        {
            return (train.Slice(0, 1500), test.Slice(0, 500));
        }
    }

    [Fact]
    public void A_failed_export_leaves_no_file_behind()
    {
        using var model = new ClusterTeacher();
        string path = Path.Combine(directory, "missing", "model.onnx");
        Assert.Throws<DirectoryNotFoundException>(() => model.ExportOnnx(path));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    internal static (Model Model, Action<string, OnnxWeights> Export, int InputSize, int OutputSize) Create(string name) => name switch
    {
        nameof(ClusterTeacher) => Of(new ClusterTeacher(), (m, p, w) => m.ExportOnnx(p, w), ClusterTeacher.InputSize, ClusterTeacher.OutputSize),
        nameof(OtherTeacher) => Of(new OtherTeacher(), (m, p, w) => m.ExportOnnx(p, w), OtherTeacher.InputSize, OtherTeacher.OutputSize),
        nameof(DropoutTeacher) => Of(new DropoutTeacher(), (m, p, w) => m.ExportOnnx(p, w), DropoutTeacher.InputSize, DropoutTeacher.OutputSize),
        nameof(SigmoidBaseline) => Of(new SigmoidBaseline(), (m, p, w) => m.ExportOnnx(p, w), SigmoidBaseline.InputSize, SigmoidBaseline.OutputSize),
        nameof(NormalizedMlp) => Of(new NormalizedMlp(), (m, p, w) => m.ExportOnnx(p, w), NormalizedMlp.InputSize, NormalizedMlp.OutputSize),
        nameof(PyTorchMnistExample) => Of(new PyTorchMnistExample(), (m, p, w) => m.ExportOnnx(p, w), PyTorchMnistExample.InputSize, PyTorchMnistExample.OutputSize),
        nameof(LeNet5) => Of(new LeNet5(), (m, p, w) => m.ExportOnnx(p, w), LeNet5.InputSize, LeNet5.OutputSize),
        nameof(SeparableNet) => Of(new SeparableNet(), (m, p, w) => m.ExportOnnx(p, w), SeparableNet.InputSize, SeparableNet.OutputSize),
        nameof(SmallConvTeacher) => Of(new SmallConvTeacher(), (m, p, w) => m.ExportOnnx(p, w), SmallConvTeacher.InputSize, SmallConvTeacher.OutputSize),
        nameof(TinyResNet) => Of(new TinyResNet(), (m, p, w) => m.ExportOnnx(p, w), TinyResNet.InputSize, TinyResNet.OutputSize),
        nameof(ResNet20) => Of(new ResNet20(), (m, p, w) => m.ExportOnnx(p, w), ResNet20.InputSize, ResNet20.OutputSize),
        nameof(LayerNormMlp) => Of(new LayerNormMlp(), (m, p, w) => m.ExportOnnx(p, w), LayerNormMlp.InputSize, LayerNormMlp.OutputSize),
        nameof(LayerNormConvNet) => Of(new LayerNormConvNet(), (m, p, w) => m.ExportOnnx(p, w), LayerNormConvNet.InputSize, LayerNormConvNet.OutputSize),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static (Model, Action<string, OnnxWeights>, int, int) Of<T>(T model, Action<T, string, OnnxWeights> export, int inputSize, int outputSize)
        where T : Model => (model, (path, weights) => export(model, path, weights), inputSize, outputSize);

    /// <summary>A few training-mode passes, so that batch norm's running statistics are not the identity's 0 and 1.</summary>
    internal static void WarmUpBatchNorm(Model model, int inputSize)
    {
        using var _ = no_grad();
        model.train();
        for (int i = 0; i < 3; i++)
        {
            using var batch = randn(16, inputSize) * 2 + 0.5;
            using var output = model.call(batch);
        }
        model.eval();
    }

    internal static int ArgMax(float[] logits, int row, int classes)
    {
        int best = 0;
        for (int c = 1; c < classes; c++)
        {
            if (logits[row * classes + c] > logits[row * classes + best])
            {
                best = c;
            }
        }
        return best;
    }
}
