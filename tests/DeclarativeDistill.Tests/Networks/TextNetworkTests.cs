using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeclarativeDistill.Tests.Declarations.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Networks;

/// <summary>
/// Text networks declared in <c>Layers</c> (tokens, embed, conv1d, lstm, gru, readouts) against the same networks in real
/// PyTorch (tools/pytorch-reference/text_networks.py), in ONNX Runtime, and trained on a task only order-free reading
/// of the tokens solves.
/// </summary>
public sealed class TextNetworkTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-text-" + Guid.NewGuid().ToString("N"));

    public TextNetworkTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Names => new()
    {
        nameof(LstmTextTeacher), nameof(ConvTextStudent), nameof(GruTextStudent), nameof(LstmTextStudent), nameof(TransformerTextStudent),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Parameter_counts_multiply_adds_and_state_dict_keys_are_pytorchs(string name)
    {
        var expected = JsonDocument.Parse(File.ReadAllText(PyTorchReference.File("text/counts.json"))).RootElement.GetProperty(name);
        using var model = Create(name);
        var network = (IGeneratedNetwork)model;
        Assert.Equal(expected.GetProperty("parameters").GetInt64(), model.parameters().Sum(p => p.numel()));
        Assert.Equal(expected.GetProperty("parameters").GetInt64(), Constant(name, "ParameterCount"));
        Assert.Equal(expected.GetProperty("multiplyAdds").GetInt64(), Constant(name, "MultiplyAdds"));
        Assert.Equal(expected.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).Order(),
            model.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order());
        Assert.Equal("tokens(40, 12)", network.Description.Input.ToString());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Pytorch_weights_give_pytorchs_logits_with_padding_left_out(string name)
    {
        using var model = Create(name);
        ((IGeneratedNetwork)model).LoadPyTorch(PyTorchReference.File($"text/{name}.pt"));
        var (ids, expected) = Reference(name);
        float[] actual = Forward(model, ids);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-5f, $"{name}: logits differ from PyTorch's by up to {worst}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_onnx_file_takes_token_ids_and_a_mask_and_gives_the_logits_of_forward(string name)
    {
        using var model = Create(name);
        ((IGeneratedNetwork)model).LoadPyTorch(PyTorchReference.File($"text/{name}.pt"));
        var (ids, _) = Reference(name);
        string path = Path.Combine(directory, name + ".onnx");
        ((IGeneratedNetwork)model).ExportOnnx(path);

        using var session = new InferenceSession(path);
        Assert.Equal(new[] { OnnxExport.TokenIds, OnnxExport.AttentionMask }, session.InputMetadata.Keys);
        Assert.Equal(typeof(long), session.InputMetadata[OnnxExport.TokenIds].ElementType);
        int rows = ids.Length / 12;
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(OnnxExport.TokenIds, new DenseTensor<long>(ids, new[] { rows, 12 })),
            NamedOnnxValue.CreateFromTensor(OnnxExport.AttentionMask, new DenseTensor<long>(ids.Select(i => i == 0 ? 0L : 1L).ToArray(), new[] { rows, 12 })),
        };
        using var results = session.Run(inputs);
        float[] onnx = results.Single().AsTensor<float>().ToArray();
        float[] torch = Forward(model, ids);
        float worst = torch.Zip(onnx, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-5f, $"{name}: ONNX Runtime's logits differ from forward's by up to {worst}");
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("tokens(40, 12)", metadata["input_shape"]);
    }

    [Fact]
    public void A_calibrated_int8_text_student_runs_its_convolution_and_output_in_integers_and_keeps_its_accuracy()
    {
        var (train, test) = KeywordTask(800, 300, seed: 91);
        using (train)
        using (test)
        {
            manual_seed(91);
            using var student = new GruTextStudent(); // embed, conv1d, layernorm, bigru, first, 7, 3
            student.Fit(train, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.1, Seed = 91 });
            string floatPath = Path.Combine(directory, "float.onnx"), int8Path = Path.Combine(directory, "int8.onnx");
            student.ExportOnnx(floatPath);
            student.ExportOnnx(int8Path, new Calibration(train) { KeepFloat = Array.Empty<string>() });
            var fused = DeclarativeDistill.Tests.Interop.StaticInt8ExportTests.Optimized(int8Path);
            Assert.Contains("QLinearConv", fused);
            Assert.Contains("QGemm", fused);

            var report = Deployment.Measure(student, test, requests: 10, calibration: new Calibration(train) { KeepFloat = Array.Empty<string>() });
            double floatAccuracy = report.Rows.Single(r => r.Runtime == "ONNX Runtime, float32").Accuracy;
            double int8Accuracy = report.Rows.Single(r => r.Runtime == "ONNX Runtime, static int8").Accuracy;
            Assert.True(Math.Abs(floatAccuracy - int8Accuracy) <= 0.02, $"float32 {floatAccuracy:P1}, static int8 {int8Accuracy:P1}");
        }
    }

    [Theory]
    [InlineData(OnnxWeights.Int8)]
    [InlineData(OnnxWeights.DynamicInt8)]
    public void Int8_files_of_every_text_network_stay_close_to_float_logits(OnnxWeights weights)
    {
        foreach (string name in ((IEnumerable<object[]>)Names).Select(row => (string)row[0]))
        {
            using var model = Create(name);
            ((IGeneratedNetwork)model).LoadPyTorch(PyTorchReference.File($"text/{name}.pt"));
            var (ids, _) = Reference(name);
            string path = Path.Combine(directory, $"{name}.{weights}.onnx");
            ((IGeneratedNetwork)model).ExportOnnx(path, weights);
            using var session = new InferenceSession(path);
            using var results = session.Run(OnnxInputs.Tokens(ids, ids.Length / 12, 12));
            float[] quantized = results.Single().AsTensor<float>().ToArray();
            float[] exact = Forward(model, ids);
            double spread = Math.Sqrt(exact.Average(e => e * e)) + 1e-3;
            double error = Math.Sqrt(exact.Zip(quantized, (e, q) => (e - q) * (e - q)).Average());
            Assert.True(error < 0.1 * spread, $"{name}, {weights}: off by {error:G3} for logits of {spread:G3}");
            if (weights == OnnxWeights.DynamicInt8)
            {
                var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
                Assert.Contains(graph.Node, n => n.OpType == "MatMulInteger");
            }
        }
    }

    [Fact]
    public void A_text_student_and_teacher_are_measured_for_deployment_from_their_token_ids()
    {
        var (train, test) = KeywordTask(400, 200, seed: 71);
        using (train)
        using (test)
        {
            manual_seed(71);
            using var teacher = new LstmTextTeacher();
            teacher.Fit(train, new TrainingOptions { Epochs = 6, BatchSize = 32, LearningRate = 0.05, Seed = 71 });
            using var student = new ConvTextStudent();
            student.Distill(teacher, train, new TrainingOptions { Epochs = 6, BatchSize = 32, LearningRate = 0.1, Seed = 71 });

            var report = Deployment.Measure(student, test, teacher, requests: 20, calibration: new Calibration(train));
            Assert.Equal(10, report.Rows.Count); // TorchSharp and four ONNX forms each
            Assert.Equal(2, report.Rows.Count(r => r.Runtime == "ONNX Runtime, static int8"));
            foreach (var (network, rows) in new[] { ((IGeneratedNetwork)teacher, report.Rows.Take(5).ToList()), (student, report.Rows.Skip(5).ToList()) })
            {
                Assert.Equal(network.Evaluate(test).Accuracy, rows[0].Accuracy);
                Assert.True(Math.Abs(rows[1].Accuracy - rows[0].Accuracy) <= 1.0 / test.Count, $"{rows[1].Accuracy} against {rows[0].Accuracy}");
                Assert.All(rows.Skip(2), r => Assert.True(Math.Abs(r.Accuracy - rows[0].Accuracy) <= 0.05, $"{r.Runtime}: {r.Accuracy}"));
            }
        }
    }

    [Fact]
    public void A_text_teacher_learns_a_keyword_task_and_a_conv_student_is_distilled_from_it()
    {
        var (train, test) = KeywordTask(1200, 400, seed: 31);
        using (train)
        using (test)
        {
            manual_seed(31);
            using var teacher = new LstmTextTeacher();
            teacher.Fit(train, new TrainingOptions { Epochs = 12, BatchSize = 32, LearningRate = 0.05, Seed = 31 });
            double teacherAccuracy = teacher.Evaluate(test).Accuracy;
            Assert.True(teacherAccuracy > 0.9, $"teacher: {teacherAccuracy:P1}");

            using var student = new ConvTextStudent();
            var report = student.Distill(teacher, train, new TrainingOptions { Epochs = 12, BatchSize = 32, LearningRate = 0.05, Seed = 31 });
            double studentAccuracy = student.Evaluate(test).Accuracy;
            Assert.True(studentAccuracy > 0.9, $"distilled student: {studentAccuracy:P1}");
            Assert.True(report.Epochs[^1].Loss < report.Epochs[0].Loss);

        }
    }

    [Fact]
    public void A_text_teacher_exported_by_pytorch_teaches_a_student_declared_in_layers()
    {
        using var teacher = new PyTorchTextTeacher();
        var root = JsonDocument.Parse(File.ReadAllText(PyTorchReference.File("text/text-teacher.json"))).RootElement;
        long[] ids = root.GetProperty("ids").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetInt64())).ToArray();
        float[] expected = root.GetProperty("logits").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        float[] actual = Forward(teacher, ids); // ids with padding; the teacher gets the attention mask they imply
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-5f);

        var (train, test) = KeywordTask(1000, 300, seed: 41);
        using (train)
        using (test)
        {
            Assert.True(Metrics.Evaluate(teacher, PyTorchTextTeacher.InputSize, PyTorchTextTeacher.OutputSize, test).Accuracy > 0.95);
            manual_seed(41);
            using var student = new StudentOfTextOnnx();
            student.Distill(teacher, train, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.1, Seed = 41 });
            double accuracy = student.Evaluate(test).Accuracy;
            Assert.True(accuracy > 0.9, $"student of the PyTorch teacher: {accuracy:P1}");
        }
    }

    [Fact]
    public void A_text_teacher_written_by_hand_in_torchsharp_trains_and_teaches_a_declared_student()
    {
        var (train, test) = KeywordTask(1000, 300, seed: 81);
        using (train)
        using (test)
        {
            manual_seed(81);
            using var teacher = new HandWrittenTextTeacher();
            Trainer.Fit(teacher, FeatureShape.Parse(HandWrittenTextTeacher.InputShape), HandWrittenTextTeacher.OutputSize, train,
                new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.05, Seed = 81 });
            Assert.True(Metrics.Evaluate(teacher, HandWrittenTextTeacher.InputSize, HandWrittenTextTeacher.OutputSize, test).Accuracy > 0.9);
            using var student = new StudentOfHandWrittenText();
            student.Distill(teacher, train, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.1, Seed = 81 });
            Assert.True(student.Evaluate(test).Accuracy > 0.9, $"student: {student.Evaluate(test).Accuracy:P1}");
        }
    }

    [Fact]
    public void A_teacher_file_of_a_fixed_batch_runs_on_batches_of_any_size()
    {
        using var dynamic = new PyTorchTextTeacher();
        using var fixedBatch = new FixedBatchTextTeacher(); // exported without dynamic axes: batch 8 only
        var (_, test) = KeywordTask(1, 21, seed: 61);
        using (test)
        {
            foreach (int rows in new[] { 1, 8, 13, 21 })
            {
                using var features = test.Features.narrow(0, 0, rows);
                float[] expected = Forward(dynamic, features.data<float>().Select(v => (long)v).ToArray());
                float[] actual = Forward(fixedBatch, features.data<float>().Select(v => (long)v).ToArray());
                Assert.Equal(rows * 3, actual.Length);
                Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-5f, $"{rows} rows");
            }
        }
    }

    [Fact]
    public void A_hint_between_hidden_states_maps_each_step_and_is_learned_with_the_soft_loss()
    {
        var (train, test) = KeywordTask(800, 300, seed: 51);
        using (train)
        using (test)
        {
            manual_seed(51);
            using var teacher = new LstmTextTeacher();
            teacher.Fit(train, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.05, Seed = 51 });
            using var student = new HintedTextStudent();
            var hint = Assert.Single(HintedTextStudent.Objective.Hints);
            Assert.Equal("linear 10 → 12 per step", hint.Regressor.ToString());
            var report = student.Distill(teacher, train, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.1, Seed = 51 });

            // FitNets' two stages (the default): the hint stage trains conv1 towards lstm1's states, then the soft loss.
            var stage = report.HintStage!;
            double first = stage.Epochs[0].Terms.Single(t => t.Name.StartsWith("hint", StringComparison.Ordinal)).Value;
            double last = stage.Epochs[^1].Terms.Single(t => t.Name.StartsWith("hint", StringComparison.Ordinal)).Value;
            Assert.True(last < 0.7 * first, $"the hint term fell from {first} to {last}");
            Assert.True(student.Evaluate(test).Accuracy > 0.9, $"hinted student: {student.Evaluate(test).Accuracy:P1}");
        }
    }

    [Fact]
    public void Token_ids_outside_the_vocabulary_are_refused_by_the_data_check()
    {
        using var model = new ConvTextStudent();
        using var features = full(4, 12, 40f); // id 40 in a vocabulary of 40
        using var labels = zeros(4, dtype: ScalarType.Int64);
        using var data = new LabeledDataset(features, labels, 3);
        var error = Assert.Throws<ArgumentException>(() => model.Fit(data, new TrainingOptions { Epochs = 1 }));
        Assert.Contains("ConvTextStudent reads token ids below 40 (tokens(40, 12)), but example 0 of the", error.Message);
        Assert.Contains("has 40 at position 0", error.Message);
    }

    /// <summary>
    /// Sequences of 3 to 12 ids (then padding), noise ids 4..39 and exactly one keyword id 1, 2 or 3 at a random place:
    /// the label is which keyword.
    /// </summary>
    internal static (LabeledDataset Train, LabeledDataset Test) KeywordTask(int trainCount, int testCount, int seed)
    {
        var random = new Random(seed);
        LabeledDataset Make(int count)
        {
            var ids = new float[count * 12];
            var labels = new long[count];
            for (int i = 0; i < count; i++)
            {
                int length = random.Next(3, 13);
                for (int t = 0; t < length; t++)
                {
                    ids[i * 12 + t] = random.Next(4, 40);
                }
                labels[i] = random.Next(3);
                ids[i * 12 + random.Next(length)] = labels[i] + 1;
            }
            return new LabeledDataset(tensor(ids, new long[] { count, 12 }), tensor(labels), 3);
        }
        return (Make(trainCount), Make(testCount));
    }

    private static Model Create(string name) => name switch
    {
        nameof(LstmTextTeacher) => new LstmTextTeacher(),
        nameof(ConvTextStudent) => new ConvTextStudent(),
        nameof(GruTextStudent) => new GruTextStudent(),
        nameof(TransformerTextStudent) => new TransformerTextStudent(),
        _ => new LstmTextStudent(),
    };

    private static long Constant(string name, string constant) =>
        (long)Type.GetType($"DeclarativeDistill.Tests.Declarations.Text.{name}")!.GetField(constant)!.GetValue(null)!;

    private static (long[] Ids, float[] Logits) Reference(string name)
    {
        var root = JsonDocument.Parse(File.ReadAllText(PyTorchReference.File($"text/{name}.json"))).RootElement;
        long[] ids = root.GetProperty("ids").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetInt64())).ToArray();
        float[] logits = root.GetProperty("logits").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        return (ids, logits);
    }

    private static float[] Forward(Model model, long[] ids)
    {
        using var input = tensor(ids.Select(i => (float)i).ToArray(), new long[] { ids.Length / 12, 12 });
        return Interop.Logits.Forward(model, input);
    }
}
