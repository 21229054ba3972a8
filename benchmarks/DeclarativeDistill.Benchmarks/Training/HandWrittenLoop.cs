using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill.Benchmarks.Training;

/// <summary>
/// The reference: a training epoch as a careful TorchSharp user writes it by hand, with knowledge
/// distillation when given a teacher and on labels alone when not. One contiguous tensor, batches by
/// index_select of a seeded permutation, one dispose scope per batch, the teacher under no_grad, the
/// loss read back once per epoch.
/// </summary>
internal sealed class HandWrittenLoop : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> student;
    private readonly nn.Module<Tensor, Tensor>? teacher;
    private readonly SGD optimizer;
    private readonly Generator shuffler = new(1);
    private readonly double temperature, alpha, beta;

    public HandWrittenLoop(nn.Module<Tensor, Tensor> student, nn.Module<Tensor, Tensor>? teacher, double learningRate, double temperature = 1, double alpha = 0)
    {
        this.student = student;
        this.teacher = teacher;
        this.temperature = temperature;
        this.alpha = alpha;
        beta = 1 - alpha;
        optimizer = optim.SGD(student.parameters(), learningRate, 0.9);
    }

    public double Epoch(Tensor features, Tensor labels, int batchSize)
    {
        student.train();
        teacher?.eval();
        long count = features.shape[0];
        using var order = randperm(count, generator: shuffler);
        using var total = zeros(1, dtype: ScalarType.Float64);
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(batchSize, count - start);
            var indices = order.narrow(0, start, size);
            var x = features.index_select(0, indices);
            var y = labels.index_select(0, indices);
            var studentLogits = student.forward(x);
            var loss = teacher is null ? cross_entropy(studentLogits, y) : DistillationLoss(teacher, x, studentLogits, y, size);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            using (no_grad())
            {
                total.add_(loss.detach().to_type(ScalarType.Float64) * size);
            }
        }
        return total.item<double>() / count;
    }

    private Tensor DistillationLoss(nn.Module<Tensor, Tensor> teacher, Tensor x, Tensor studentLogits, Tensor y, long size)
    {
        Tensor teacherLogits;
        using (no_grad())
        {
            teacherLogits = teacher.forward(x);
        }
        var soft = kl_div(log_softmax(studentLogits / temperature, 1), log_softmax(teacherLogits / temperature, 1),
            log_target: true, reduction: nn.Reduction.Sum) / size * (temperature * temperature);
        return alpha * soft + beta * cross_entropy(studentLogits, y);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        shuffler.Dispose();
    }
}
