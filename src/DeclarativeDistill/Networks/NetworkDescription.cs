using System;
using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Operations;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// A generated network as data: its input, its classes and its operations in the order <c>forward</c> applies them in
/// evaluation mode, each naming the state_dict tensors it reads, with <see cref="Tap"/>s where a named layer's output
/// is. The generator writes one per network (its static <c>Description</c>); ONNX export, int8 quantization, pruning
/// and hints read it rather than searching the module for layers by type.
/// </summary>
public sealed class NetworkDescription
{
    private readonly Lazy<IReadOnlyList<StateTensor>> state;

    /// <param name="network">The network's name, for messages.</param>
    /// <param name="inputShape">One example's shape: <c>784</c> or <c>1x28x28</c>.</param>
    /// <param name="outputSize">The number of classes.</param>
    /// <param name="operations">What <c>forward</c> does, in order.</param>
    public NetworkDescription(string network, string inputShape, int outputSize, IReadOnlyList<Operation> operations)
    {
        ArgumentException.ThrowIfNullOrEmpty(network);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        if (operations.Any(o => o is null))
        {
            throw new ArgumentException("An operation is null.", nameof(operations));
        }
        Network = network;
        Input = FeatureShape.Parse(inputShape);
        OutputSize = outputSize;
        Operations = operations.ToArray();
        Taps = Operations.OfType<Tap>().ToArray();
        FeatureLayers = Taps.Select(t => t.Layer).ToArray();
        state = new Lazy<IReadOnlyList<StateTensor>>(() => Flatten(Operations).SelectMany(o => o.State).ToArray());
    }

    /// <summary>The network's name.</summary>
    public string Network { get; }

    /// <summary>One example's shape.</summary>
    public FeatureShape Input { get; }

    /// <summary>The number of classes: the width of the logits.</summary>
    public int OutputSize { get; }

    /// <summary>What <c>forward</c> does in evaluation mode, in order (dropout is listed, and is the identity there).</summary>
    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>Where each named layer's output is, in forward order.</summary>
    public IReadOnlyList<Tap> Taps { get; }

    /// <summary>The names of the layers hints and <c>Features</c> can read, in forward order; the last one's output is the logits.</summary>
    public IReadOnlyList<string> FeatureLayers { get; }

    /// <summary>Every tensor of the state_dict (parameters and buffers), in the order the operations read them.</summary>
    public IReadOnlyList<StateTensor> State => state.Value;

    /// <summary>Trainable parameters: the elements of every parameter (buffers not counted).</summary>
    public long ParameterCount => State.Where(t => t.Trainable).Sum(t => t.Elements);

    /// <summary>The keys of the weights that int8 quantization and pruning compress: every fully connected and convolution weight.</summary>
    public IReadOnlyList<string> CompressibleWeights => Flatten(Operations).SelectMany(o => o.CompressibleWeights).ToArray();

    /// <summary>
    /// Throws unless <paramref name="model"/>'s state_dict has exactly the tensors this description names, with their
    /// shapes: a description written for another network is refused with what differs.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is missing, unexpected or of another shape; the message names each.</exception>
    public void CheckAgainst(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var actual = model.state_dict().Where(p => !Modules.DataParts.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.shape);
        var expected = State.ToDictionary(t => t.Key, t => t.Shape.ToArray());
        var problems = expected.Keys.Where(k => !actual.ContainsKey(k)).Select(k => $"missing {k}")
            .Concat(actual.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"unexpected {k}"))
            .Concat(expected.Keys.Where(actual.ContainsKey).Where(k => !expected[k].SequenceEqual(actual[k]))
                .Select(k => $"{k} is [{string.Join(", ", actual[k])}], described as [{string.Join(", ", expected[k])}]"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{model.GetName()} does not match the description of {Network}: {string.Join("; ", problems)}.", nameof(model));
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Network}: {Input} → {OutputSize} classes\n" + string.Join("\n", Operations.Select(o => "  " + o));

    /// <summary>The operations and, inside residual blocks, theirs.</summary>
    internal static IEnumerable<Operation> Flatten(IEnumerable<Operation> operations)
    {
        foreach (var operation in operations)
        {
            yield return operation;
            if (operation is Residual residual)
            {
                foreach (var inner in Flatten(residual.Main.Concat(residual.Shortcut)))
                {
                    yield return inner;
                }
            }
        }
    }
}
