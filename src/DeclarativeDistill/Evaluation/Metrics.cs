using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>Evaluation at temperature 1, in evaluation mode and without gradients.</summary>
public static class Metrics
{
    private const int Chunk = 4096;

    /// <summary>Accuracy, errors and mean cross-entropy of <paramref name="model"/>, which reads vectors of <paramref name="inputSize"/> features, on <paramref name="test"/>.</summary>
    public static Evaluation Evaluate(Model model, int inputSize, int outputSize, LabeledDataset test) =>
        Evaluate(model, new FeatureShape(inputSize), outputSize, test);

    /// <summary>Accuracy, errors and mean cross-entropy of <paramref name="model"/>, which reads examples of <paramref name="input"/>, on <paramref name="test"/>.</summary>
    public static Evaluation Evaluate(Model model, FeatureShape input, int outputSize, LabeledDataset test)
    {
        ArgumentNullException.ThrowIfNull(model);
        Trainer.CheckData(model, input, outputSize, test, "test set");
        long correct = 0;
        double lossSum = 0;
        var device = DeviceOf(model);
        WithEvalMode(model, () =>
        {
            for (long start = 0; start < test.Count; start += Chunk)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(Chunk, test.Count - start);
                var logits = model.call(test.Features.narrow(0, start, size).to(device));
                var labels = test.Labels.narrow(0, start, size).to(device);
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            }
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
    /// The most probable class of every example of <paramref name="features"/> (<c>[N, ...]</c> with
    /// <paramref name="input"/>'s number of features per example), as int64 [N] on the features' device.
    /// </summary>
    /// <exception cref="ArgumentException">The examples have another shape; the message names both.</exception>
    public static Tensor Predict(Model model, FeatureShape input, Tensor features)
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

    /// <summary>Where the model's parameters are (the CPU for a model without any).</summary>
    internal static Device DeviceOf(Model model) => model.parameters().FirstOrDefault()?.device ?? CPU;

    private static void WithEvalMode(Model model, Action action)
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
