using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.HandWritten;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>Classifiers in ONNX files, run by ONNX Runtime, as teachers.</summary>
public sealed class OnnxTeacherTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-onnx-teacher-" + Guid.NewGuid().ToString("N"));

    public OnnxTeacherTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_file_exported_by_pytorch_gives_pytorchs_logits()
    {
        using var teacher = new PyTorchOnnxTeacher(Fixture("small-conv-teacher.onnx"));
        using var json = JsonDocument.Parse(File.ReadAllText(Fixture("small-conv-teacher.json")));
        float[] input = json.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] expected = json.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();

        using var logits = teacher.call(tensor(input).reshape(3, 784));

        float worst = expected.Zip(logits.data<float>().ToArray(), (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4f, $"largest difference from PyTorch's logits: {worst}");
    }

    [Fact]
    public void A_generated_student_distils_from_an_onnx_teacher()
    {
        var (train, test) = SyntheticData.Split(2000, 1000, seed: 1);
        using (train)
        using (test)
        {
            manual_seed(1);
            string path = Path.Combine(directory, "cluster.onnx");
            using (var trained = new ClusterTeacher())
            {
                trained.Fit(train, new TrainingOptions { Epochs = 15, BatchSize = 64, Seed = 3 });
                trained.ExportOnnx(path);
            }
            using var teacher = new ClusterOnnxTeacher(path);
            Assert.True(teacher.Evaluate(test).Accuracy > 0.9, $"ONNX teacher: {teacher.Evaluate(test)}");

            manual_seed(2);
            using var student = new StudentOfOnnx();
            var report = student.Distill(teacher, train, new TrainingOptions { Epochs = 15, BatchSize = 64, Seed = 3 });

            Assert.True(report.PreparationTime > TimeSpan.Zero); // the teacher ran once, to cache its outputs
            Assert.True(student.Evaluate(test).Accuracy > 0.85, $"student of an ONNX teacher: {student.Evaluate(test)}");
            Assert.True(student.MeasureFidelity(teacher, test).Agreement > 0.85);
        }
    }

    [Fact]
    public void A_file_that_does_not_match_the_declaration_is_refused_naming_both()
    {
        var error = Assert.Throws<InvalidDataException>(() => new ClusterOnnxTeacher(Fixture("small-conv-teacher.onnx")));
        Assert.Contains("reads float [batch, 784] and gives [batch, 10]", error.Message);
        Assert.Contains("declared with Input = \"12\" and Outputs = 4", error.Message);
        Assert.Throws<FileNotFoundException>(() => new ClusterOnnxTeacher(Path.Combine(directory, "missing.onnx")));
    }

    private static string Fixture(string name) => PyTorchReference.File(Path.Combine("weights", name));
}
