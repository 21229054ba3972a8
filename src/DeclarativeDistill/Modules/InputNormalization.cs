using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Modules;

/// <summary>
/// A network's first step when it has one: <c>(x - mean) / std</c> on the raw features, one mean and std per feature (an
/// image's per-channel values repeated over its pixels). Its two buffers are part of the state_dict
/// (<c>input_normalization.mean</c>, <c>input_normalization.std</c>), so <c>Save</c>, <c>Load</c> and checkpoints keep
/// it, and ONNX export writes it into the graph: an application feeds raw values everywhere. Generated networks
/// register it when their <c>InputNormalization</c> is set.
/// </summary>
public sealed class InputNormalization : Model
{
    /// <summary>The name it is registered under: the prefix of its state_dict keys.</summary>
    public const string Key = "input_normalization";

    private readonly FeatureShape shape;
    private readonly Tensor mean;
    private readonly Tensor std;

    private InputNormalization(FeatureShape shape)
        : base(nameof(InputNormalization))
    {
        this.shape = shape;
        mean = zeros(shape.Size);
        std = ones(shape.Size);
        RegisterComponents();
    }

    /// <summary>
    /// The normalisation it applies, read back from its buffers: per channel when every channel of an image has one mean
    /// and one std (as <see cref="DeclarativeDistill.Normalization.Fit"/> gives for images), else per feature.
    /// </summary>
    public Normalization Normalization
    {
        get
        {
            var means = mean.cpu().data<float>().ToArray();
            var stds = std.cpu().data<float>().ToArray();
            if (shape.IsImage)
            {
                int pixels = shape.Height * shape.Width;
                bool perChannel = Enumerable.Range(0, shape.Size)
                    .All(i => means[i] == means[i / pixels * pixels] && stds[i] == stds[i / pixels * pixels]);
                if (perChannel)
                {
                    return new Normalization(shape, Enumerable.Range(0, shape.Channels).Select(c => means[c * pixels]).ToArray(),
                        Enumerable.Range(0, shape.Channels).Select(c => stds[c * pixels]).ToArray());
                }
            }
            return new Normalization(new FeatureShape(shape.Size), means, stds);
        }
    }

    /// <summary>The mean of each input feature, float32 [InputSize] (for export).</summary>
    internal Tensor Mean => mean;

    /// <summary>The std of each input feature, float32 [InputSize] (for export).</summary>
    internal Tensor Std => std;

    /// <summary>Standardises a batch of rows [N, InputSize] or images [N, C, H, W]; the shape is kept.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var rows = input.reshape(input.shape[0], shape.Size);
        return ((rows - mean) / std).reshape(input.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// What a generated network's <c>InputNormalization</c> setter does: registers the step on <paramref name="owner"/>
    /// the first time (on the owner's device), writes <paramref name="value"/>'s values into it, and returns it.
    /// </summary>
    /// <exception cref="ArgumentException">The normalisation was fitted on examples of another shape.</exception>
    /// <exception cref="InvalidOperationException">Removing a normalisation a network already has (set a new one instead).</exception>
    public static InputNormalization? Attach(Model owner, string inputShape, InputNormalization? current, Normalization? value)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var shape = FeatureShape.Parse(inputShape);
        if (value is null)
        {
            return current is null
                ? null
                : throw new InvalidOperationException($"{owner.GetName()} already normalises its inputs; set another normalisation, or create a new network, instead of removing it.");
        }
        if (value.Shape.Size != shape.Size || (value.Shape.IsImage && !value.Shape.Equals(shape)))
        {
            throw new ArgumentException($"{owner.GetName()} takes examples of {shape.Describe()}; the normalisation was fitted on {value.Shape.Describe()}.", nameof(value));
        }
        if (current is null)
        {
            current = new InputNormalization(shape);
            if (owner.parameters().FirstOrDefault() is { } parameter)
            {
                current.to(parameter.device);
            }
            owner.register_module(Key, current);
        }
        current.Write(value);
        return current;
    }

    /// <summary>Writes <paramref name="value"/>'s values, expanded to one per feature, into the buffers.</summary>
    private void Write(Normalization value)
    {
        // Per channel for a normalisation fitted on images; per feature for one fitted on vectors, whatever the network reads.
        int repeat = value.Shape.IsImage ? value.Shape.Height * value.Shape.Width : 1;
        var means = value.Mean.SelectMany(m => Enumerable.Repeat(m, repeat)).ToArray();
        var stds = value.Std.SelectMany(s => Enumerable.Repeat(s, repeat)).ToArray();
        using var _ = no_grad();
        mean.copy_(tensor(means));
        std.copy_(tensor(stds));
    }
}
