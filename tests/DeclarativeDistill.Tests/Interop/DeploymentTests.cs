using System;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>The deployment report: every network in every runtime, accuracies from the runtime that serves each file.</summary>
public sealed class DeploymentTests
{
    [Fact]
    public void A_student_and_its_teacher_are_measured_in_every_runtime_with_the_accuracy_of_each_file()
    {
        var (train, test) = SyntheticData.Split(600, 300, seed: 121);
        using (train)
        using (test)
        {
            manual_seed(122);
            using var teacher = new ClusterTeacher();
            teacher.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 32 });
            using var student = new ClusterStudent();
            student.Distill(teacher, train, new TrainingOptions { Epochs = 3, BatchSize = 32 });

            var report = Deployment.Measure(student, test, teacher, requests: 30, calibration: new Calibration(train));

            Assert.Equal(10, report.Rows.Count);
            Assert.Equal(new[] { "ClusterTeacher", "ClusterStudent" }, report.Rows.Select(r => r.Model).Distinct());
            Assert.Equal(new[] { "TorchSharp", "ONNX Runtime, float32", "ONNX Runtime, int8 weights", "ONNX Runtime, dynamic int8", "ONNX Runtime, static int8" },
                report.Rows.Take(5).Select(r => r.Runtime));
            foreach (var (network, rows) in new[] { ((IGeneratedNetwork)teacher, report.Rows.Take(5).ToList()), (student, report.Rows.Skip(5).ToList()) })
            {
                double accuracy = network.Evaluate(test).Accuracy;
                Assert.Equal(accuracy, rows[0].Accuracy);
                Assert.True(Math.Abs(rows[1].Accuracy - accuracy) <= 1.0 / test.Count, $"float32 file {rows[1].Accuracy} against {accuracy}");
                Assert.All(rows.Skip(2), r => Assert.True(Math.Abs(r.Accuracy - accuracy) <= 0.05, $"{r.Runtime}: {r.Accuracy} against {accuracy}"));
                if (network == (IGeneratedNetwork)teacher)
                {
                    // 5,252 parameters: int8 files are smaller (the 106-parameter student's are not: scales and names outweigh its weights).
                    Assert.All(rows.Skip(2), r => Assert.True(r.Bytes < 0.5 * rows[1].Bytes, $"{r.Runtime}: {r.Bytes} bytes against {rows[1].Bytes}"));
                }
                Assert.All(rows, r => Assert.True(r.LatencyMedian > TimeSpan.Zero && r.Latency99 >= r.LatencyMedian && r.ExamplesPerSecond > 0));
            }
            string table = report.ToString();
            Assert.Contains("| Model | Runtime | Size | Accuracy | Latency p50 | Latency p99 | Examples/s |", table);
            Assert.Contains("| ClusterStudent | ONNX Runtime, dynamic int8 |", table);
            Assert.Contains("| ClusterStudent | ONNX Runtime, static int8 |", table);
        }
    }
}
