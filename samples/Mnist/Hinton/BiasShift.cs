using System;
using System.Linq;
using DeclarativeDistill;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.Mnist.Hinton;

/// <summary>
/// Hinton et al.'s correction for a class the transfer set lacked (or over-represented): add one number to the
/// output biases of some classes. The paper chose it on the test set ("which optimizes overall performance on the
/// test set"); here it is chosen on held-out training images, and the test set only reports.
/// </summary>
public static class BiasShift
{
    /// <summary>
    /// The shift s in [0, <paramref name="largest"/>] (steps of 0.1) that, added as <c>direction · s</c> to the logits of
    /// <paramref name="classes"/>, makes the fewest errors on <paramref name="heldOut"/>; the smallest such s on a tie.
    /// </summary>
    public static (double Shift, int Errors) Choose(Model model, LabeledDataset heldOut, int[] classes, int direction, double largest = 15)
    {
        using var scope = NewDisposeScope();
        var logits = Logits(model, heldOut);
        var offset = zeros(logits.shape[1]);
        foreach (int c in classes)
        {
            offset[c] = direction;
        }
        (double Shift, int Errors) best = (0, int.MaxValue);
        for (int step = 0; step <= (int)Math.Round(largest * 10); step++)
        {
            double shift = step / 10.0;
            int errors = (int)(logits + offset * shift).argmax(1).ne(heldOut.Labels).sum().item<long>();
            if (errors < best.Errors)
            {
                best = (shift, errors);
            }
        }
        return best;
    }

    /// <summary>Adds <c>direction · shift</c> to the output biases of <paramref name="classes"/> (the generated <c>output</c> layer).</summary>
    public static void Apply(Model model, int[] classes, int direction, double shift)
    {
        var bias = model.named_parameters().Single(p => p.name == "output.bias").parameter;
        using var _ = no_grad();
        foreach (int c in classes)
        {
            using var element = bias[c];
            element.add_(direction * shift);
        }
    }

    /// <summary>Test errors in total and on the examples of <paramref name="classes"/>.</summary>
    public static (int Errors, int OnClasses, int ClassCount) Errors(Model model, LabeledDataset test, int[] classes)
    {
        using var scope = NewDisposeScope();
        var predictions = Logits(model, test).argmax(1);
        var wrong = predictions.ne(test.Labels);
        var inClasses = zeros_like(test.Labels, ScalarType.Bool);
        foreach (int c in classes)
        {
            inClasses.logical_or_(test.Labels.eq(c));
        }
        return ((int)wrong.sum().item<long>(), (int)wrong.logical_and(inClasses).sum().item<long>(), (int)inClasses.sum().item<long>());
    }

    private static Tensor Logits(Model model, LabeledDataset data)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            return model.call(data.Features);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
