using System.Linq;
using DeclarativeDistill.Tests.Declarations.HandWritten;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>A TorchSharp module written by hand, declared <c>[Teacher(Input = "1x28x28", Outputs = 10)]</c>.</summary>
public class HandWrittenTeacherTests
{
    [Fact]
    public void A_hand_written_module_trains_and_teaches_a_generated_student_with_batches_in_its_declared_shape()
    {
        var (train, test) = Datasets.MnistSample();
        using (train)
        using (test)
        using (var subset = train.Slice(0, 3000))
        {
            manual_seed(1);
            using var teacher = new HandWrittenDigitNet();
            var options = new TrainingOptions { Epochs = 6, BatchSize = 64, LearningRate = 0.05, Seed = 1 };
            teacher.Fit(subset, options);                 // rows of 784 in the dataset
            Assert.Equal(new long[] { 1, 28, 28 }, teacher.LastInputShape![1..]);
            var taught = teacher.Evaluate(test);
            Assert.True(taught.Accuracy > 0.9, $"hand-written teacher: {taught}");
            Assert.Equal(784, HandWrittenDigitNet.InputSize);
            Assert.Equal("1x28x28", HandWrittenDigitNet.InputShape);
            Assert.Equal(10, HandWrittenDigitNet.OutputSize);

            manual_seed(2);
            using var student = new StudentOfHandWritten();
            student.Distill(teacher, subset, options);      // typed: the hand-written class is the teacher parameter
            var learned = student.Evaluate(test);
            Assert.True(learned.Accuracy > 0.85, $"student of a hand-written teacher: {learned}");
            Assert.True(student.MeasureFidelity(teacher, test).Agreement > 0.85);
            Assert.Equal(4, teacher.LastInputShape!.Length);

            float[] image = test.Features[0].data<float>().ToArray();
            Assert.Equal(teacher.Predict(test.Features.narrow(0, 0, 1)).item<long>(), teacher.Classify(image).Class);
        }
    }
}
