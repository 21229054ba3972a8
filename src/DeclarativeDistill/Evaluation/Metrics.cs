using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>Evaluation at temperature 1, in evaluation mode and without gradients.</summary>
public static class Metrics
{
    private const int Chunk = RowChunks.Size;

    /// <summary>Accuracy, errors and mean cross-entropy of <paramref name="model"/>, which reads vectors of <paramref name="inputSize"/> features, on <paramref name="test"/>.</summary>
    public static Evaluation Evaluate(Model model, int inputSize, int outputSize, DataSource test, IProgress<TrainingProgress>? progress = null) =>
        Evaluate(model, new FeatureShape(inputSize), outputSize, test, progress);

    /// <summary>Accuracy, errors and mean cross-entropy of <paramref name="model"/>, which reads examples of <paramref name="input"/>, on <paramref name="test"/>.</summary>
    /// <param name="model">The model, which reads examples of <paramref name="input"/>.</param>
    /// <param name="input">Its input shape (the generated <c>InputShape</c>).</param>
    /// <param name="outputSize">Its classes.</param>
    /// <param name="test">The labelled examples.</param>
    /// <param name="progress">Receives the pass's progress (phase <see cref="TrainingPhases.Evaluation"/>); none by default.</param>
    public static Evaluation Evaluate(Model model, FeatureShape input, int outputSize, DataSource test, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Trainer.CheckData(model, input, outputSize, test, "test set");
        Trainer.CheckLabelled(test, "evaluation counts errors against them");
        long correct = 0;
        double lossSum = 0;
        var device = DeviceOf(model);
        var chunkDone = PhaseProgress.For(progress, TrainingPhases.Evaluation, Stopwatch.StartNew());
        WithEvalMode(model, () =>
        {
            test.ForEachChunk(Chunk, (features, rowLabels) =>
            {
                var logits = model.call(features.to(device));
                var labels = rowLabels!.to(device);
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            }, chunkDone);
        });
        int errors = test.Count - (int)correct;
        return new Evaluation((double)correct / test.Count, errors, test.Count, lossSum / test.Count);
    }

    /// <summary>
    /// Top-1 agreement: the fraction of <paramref name="features"/> ([N, D] or [N, C, H, W]) on which both models predict
    /// the same class, the fidelity measure of Stanton et al. (2021).
    /// </summary>
    public static double Agreement(Model first, Model second, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(features);
        long count = features.shape[0];
        if (count == 0)
        {
            throw new ArgumentException("Agreement needs at least one example.", nameof(features));
        }
        long same = 0;
        WithEvalMode(first, () => WithEvalMode(second, () =>
        {
            for (long start = 0; start < count; start += Chunk)
            {
                using var scope = NewDisposeScope();
                var input = features.narrow(0, start, Math.Min(Chunk, count - start));
                var firstClass = first.call(input.to(DeviceOf(first))).argmax(1).cpu();
                same += firstClass.eq(second.call(input.to(DeviceOf(second))).argmax(1).cpu()).sum().item<long>();
            }
        }));
        return (double)same / count;
    }

    /// <summary>
    /// Fidelity of <paramref name="student"/> to its <paramref name="teachers"/> on <paramref name="data"/> (labels
    /// are not needed): top-1 agreement and mean KL(teacher ‖ student) at temperature 1. Several teachers are one
    /// ensemble, whose probabilities are the average of theirs. Every model runs in evaluation mode without
    /// gradients and is left in the mode it was in. Generated students call this from <c>MeasureFidelity</c>.
    /// </summary>
    /// <param name="student">The student, which reads examples of <paramref name="input"/>.</param>
    /// <param name="input">The student's input shape (the generated <c>InputShape</c>).</param>
    /// <param name="teachers">One teacher, or the members of an ensemble.</param>
    /// <param name="data">The examples to compare on.</param>
    /// <param name="progress">Receives the passes' progress (phase <see cref="TrainingPhases.Fidelity"/>: the student's chunks, then each teacher's); none by default.</param>
    /// <exception cref="ArgumentException">The data do not fit the student, or the models' outputs differ in shape.</exception>
    public static Fidelity Fidelity(Model student, FeatureShape input, IReadOnlyList<Model> teachers, DataSource data, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(teachers);
        ArgumentNullException.ThrowIfNull(data);
        if (teachers.Count == 0 || teachers.Any(t => t is null))
        {
            throw new ArgumentException("Fidelity needs at least one teacher, and no teacher may be null.", nameof(teachers));
        }
        if (!input.Accepts(data.Shape))
        {
            throw new ArgumentException(
                $"{student.GetName()} takes {input.Describe()} per example but the data have examples of {data.Shape.Describe()}.", nameof(data));
        }

        var models = teachers.Prepend(student).ToArray();
        var wereTraining = models.Select(m => m.training).ToArray();
        try
        {
            using var _ = no_grad();
            var chunkDone = PhaseProgress.For(progress, TrainingPhases.Fidelity, Stopwatch.StartNew());
            // One phase over every model's pass: the chunks of pass m count after those of the passes before it.
            Action<int, int>? Pass(int m) => chunkDone is null ? null : (done, total) => chunkDone(m * total + done, models.Length * total);
            using var studentLogits = Logits(student, data, Pass(0));
            using var teacherLogits = KnowledgeDistillation.EnsembleLogits(teachers.Select((t, i) => Logits(t, data, Pass(i + 1))).ToArray(), 1);
            return Fidelity(teacherLogits, studentLogits);
        }
        finally
        {
            for (int i = 0; i < models.Length; i++)
            {
                models[i].train(wereTraining[i]);
            }
        }
    }

    /// <summary>
    /// Fidelity from logits already computed, [N, C] each on the CPU: top-1 agreement and mean KL(teacher ‖ student) at
    /// temperature 1. For comparing many models with one reference, whose logits are then computed once
    /// (see <see cref="Logits(Model, FeatureShape, Tensor)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The two are not [N, C] of the same shape with N ≥ 1.</exception>
    public static Fidelity Fidelity(Tensor teacherLogits, Tensor studentLogits)
    {
        ArgumentNullException.ThrowIfNull(teacherLogits);
        ArgumentNullException.ThrowIfNull(studentLogits);
        if (studentLogits.dim() != 2 || studentLogits.shape[0] == 0 || !studentLogits.shape.AsSpan().SequenceEqual(teacherLogits.shape))
        {
            throw new ArgumentException(
                $"The student gives outputs of [{string.Join(", ", studentLogits.shape)}] but the teachers give [{string.Join(", ", teacherLogits.shape)}]; both must be [N, C].", nameof(studentLogits));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var studentLog = nn.functional.log_softmax(studentLogits.detach().cpu().to_type(ScalarType.Float64), 1);
        var teacherLog = nn.functional.log_softmax(teacherLogits.detach().cpu().to_type(ScalarType.Float64), 1);
        long count = studentLogits.shape[0];
        long same = studentLog.argmax(1).eq(teacherLog.argmax(1)).sum().item<long>();
        double kl = nn.functional.kl_div(studentLog, teacherLog, reduction: nn.Reduction.Sum, log_target: true).item<double>();
        return new Fidelity((double)same / count, kl / count, checked((int)count));
    }

    /// <summary>
    /// The logits of <paramref name="model"/> (which reads examples of <paramref name="input"/>) for every example of
    /// <paramref name="features"/>, in evaluation mode without gradients, in chunks, as [N, outputs] on the CPU.
    /// </summary>
    /// <exception cref="ArgumentException">The examples have another shape; the message names both.</exception>
    public static Tensor Logits(Model model, FeatureShape input, Tensor features)
    {
        CheckFeatures(model, input, features);
        Tensor? logits = null;
        WithEvalMode(model, () => logits = Logits(model, features));
        return logits!;
    }

    /// <summary>The model's logits for every row, in chunks, on the CPU; the caller sets the mode and turns off gradients.</summary>
    private static Tensor Logits(Model model, Tensor features)
    {
        model.eval();
        return RowChunks.Concatenate(features, DeviceOf(model), input => new[] { model.call(input).cpu() })[0];
    }

    /// <summary>The model's logits for every example of <paramref name="data"/>, read in chunks, on the CPU.</summary>
    private static Tensor Logits(Model model, DataSource data, Action<int, int>? chunkDone = null)
    {
        model.eval();
        return RowChunks.Concatenate(data, DeviceOf(model), input => new[] { model.call(input).cpu() }, chunkDone)[0];
    }

    /// <summary>
    /// The most probable class of every example of <paramref name="features"/> (<c>[N, ...]</c> with
    /// <paramref name="input"/>'s number of features per example), as int64 [N] on the features' device.
    /// </summary>
    /// <exception cref="ArgumentException">The examples have another shape; the message names both.</exception>
    public static Tensor Predict(Model model, FeatureShape input, Tensor features)
    {
        CheckFeatures(model, input, features);
        return Predict(model, features);
    }

    /// <summary>The most probable class of every row of <paramref name="features"/>, as int64 [N] on the features' device.</summary>
    public static Tensor Predict(Model model, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(model);
        Tensor? predictions = null;
        WithEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            predictions = model.call(features.to(DeviceOf(model))).argmax(1).to(features.device).MoveToOuterDisposeScope();
        });
        return predictions!;
    }

    /// <summary>Throws unless <paramref name="features"/> is a batch whose examples <paramref name="input"/> accepts; the message names both shapes.</summary>
    private static void CheckFeatures(Model model, FeatureShape input, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(features);
        var shape = features.dim() >= 2 ? FeatureShape.OfBatch(features) : null;
        if (shape is null || !input.Accepts(shape))
        {
            throw new ArgumentException(
                $"{model.GetName()} takes {input.Describe()} per example but the features have examples of [{string.Join(", ", features.shape.Skip(1))}].", nameof(features));
        }
    }

    /// <summary>Where the model's parameters are (the CPU for a model without any).</summary>
    internal static Device DeviceOf(Model model) => model.parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>Runs <paramref name="action"/> with the model in evaluation mode and without gradients, then restores its mode.</summary>
    internal static void WithEvalMode(Model model, Action action)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            action();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
