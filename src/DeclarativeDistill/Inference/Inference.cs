using System;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// What an application needs of a trained network: classify plain arrays of features, and store and load the
/// weights. Generated networks call these from <c>Classify</c>, <c>Save</c> and <c>Load</c>.
/// </summary>
public static class Inference
{
    /// <summary>Classifies one example: exactly <paramref name="input"/>.Size values (row-major; an image channel by channel, row by row).</summary>
    /// <exception cref="ArgumentException">The length is not the input size, or a value is not finite.</exception>
    public static Prediction ClassifyOne(Model model, FeatureShape input, ReadOnlySpan<float> features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (features.Length != input.Size)
        {
            throw new ArgumentException(
                $"{model.GetName()} takes {PerExample(input)}; got {features.Length}.", nameof(features));
        }
        return Classify(model, input, features)[0];
    }

    /// <summary>
    /// Classifies the examples in <paramref name="features"/>: <paramref name="input"/>.Size values per example, one
    /// example after another (row-major, as a dataset holds them; images channel by channel, row by row).
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a positive multiple of the input size, or a value is not finite.</exception>
    public static Prediction[] Classify(Model model, FeatureShape input, ReadOnlySpan<float> features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (features.Length == 0 || features.Length % input.Size != 0)
        {
            throw new ArgumentException(
                $"{model.GetName()} takes {PerExample(input)}; got {features.Length} values, which is not a whole number of examples.",
                nameof(features));
        }
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
            {
                throw new ArgumentException($"Feature {i % input.Size} of example {i / input.Size} is {features[i]}; features must be finite.", nameof(features));
            }
        }

        int count = features.Length / input.Size;
        var names = (model as IGeneratedNetwork)?.ClassNames;
        float[] values = features.ToArray(); // a span cannot enter the lambda
        float[] probabilities = Array.Empty<float>();
        long classes = 0;
        Metrics.WithEvalMode(model, () =>
        {
            using var scope = NewDisposeScope();
            var batch = tensor(values, new long[] { count, input.Size }).to(Metrics.DeviceOf(model));
            var softmax = nn.functional.softmax(model.call(batch), 1).cpu();
            classes = softmax.shape[1];
            probabilities = softmax.data<float>().ToArray();
        });
        return Enumerable.Range(0, count).Select(row =>
        {
            float[] p = probabilities.AsSpan(row * (int)classes, (int)classes).ToArray();
            int best = ArgMax(p);
            return new Prediction(best, p) { ClassName = names is null ? null : names[best] };
        }).ToArray();
    }

    /// <summary>The index of the largest score (the first of equal ones): the predicted class.</summary>
    internal static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int c = 1; c < scores.Length; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }
        return best;
    }

    /// <summary>"784 features per example", and for an image network "(a 1x28x28 image)".</summary>
    private static string PerExample(FeatureShape input) =>
        FormattableString.Invariant($"{input.Size} features per example{(input.IsImage ? $" (a {input} image)" : "")}");

    /// <summary>
    /// Writes the model's parameters and buffers in TorchSharp's format, through a temporary file, so that a crash
    /// leaves the previous file (if any) intact.
    /// </summary>
    public static void Save(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        model.save(temporary);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads weights written by <see cref="Save"/> (or TorchSharp's <c>save</c>) into <paramref name="model"/>, and puts it in evaluation mode.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file does not hold this architecture's weights; the message says what differs.</exception>
    public static T Load<T>(T model, string path)
        where T : Model
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No weights file at {Path.GetFullPath(path)}.", path);
        }
        try
        {
            AddSavedParts(model, path);
            model.load(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or NotImplementedException)
        {
            throw new InvalidDataException($"{path} does not hold the weights of {model.GetName()}: {e.Message}", e);
        }
        model.eval();
        return model;
    }

    /// <summary>Gives a generated network the optional parts the file holds (input normalisation, class names, tokenizer), so that it has every tensor of the file.</summary>
    private static void AddSavedParts(Model model, string path)
    {
        if (model is not IGeneratedNetwork network)
        {
            return;
        }
        string names = Modules.ClassNameList.Key + ".";
        string tokenizer = Modules.TokenizerModule.Key + ".";
        foreach (var (key, _, bytes) in SavedState.Entries(path, key => key.StartsWith(names, StringComparison.Ordinal) || key.StartsWith(tokenizer, StringComparison.Ordinal)))
        {
            if (key.StartsWith(tokenizer, StringComparison.Ordinal))
            {
                if (bytes is not null)
                {
                    Modules.TokenizerModule.AttachSaved(model, bytes);
                }
                continue;
            }
            if (key.StartsWith(Modules.InputNormalization.Key + ".", StringComparison.Ordinal) && network.InputNormalization is null)
            {
                // Placeholder values of the right shape; load() then writes the saved ones.
                var shape = network.Description.Input;
                int groups = shape.IsImage ? shape.Channels : shape.Size;
                network.InputNormalization = new Normalization(shape, new float[groups], Enumerable.Repeat(1f, groups).ToArray());
            }
            else if (bytes is not null && network.ClassNames is null)
            {
                network.ClassNames = System.Text.Encoding.UTF8.GetString(bytes).Split('\n');
            }
        }
    }
}
