using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Modules;

/// <summary>
/// A network's class names, as one uint8 buffer of UTF-8 text (the names one per line) in its state_dict
/// (<c>class_names.utf8</c>): saved and loaded with the weights and kept in checkpoints, as the only kind of value a
/// state_dict holds is a tensor. Not a step of <c>forward</c>. Generated networks register it when their
/// <c>ClassNames</c> are set (by hand, or by <c>Fit</c> and <c>Distill</c> from data that names its classes).
/// </summary>
public sealed class ClassNameList : Model
{
    /// <summary>The name it is registered under: the prefix of its state_dict key.</summary>
    public const string Key = "class_names";

    private readonly Tensor utf8;

    private ClassNameList(IReadOnlyList<string> names)
        : base(nameof(ClassNameList))
    {
        utf8 = tensor(Encoding.UTF8.GetBytes(string.Join('\n', names)), ScalarType.Byte);
        RegisterComponents();
    }

    /// <summary>The names, by class index.</summary>
    public IReadOnlyList<string> Names => Encoding.UTF8.GetString(utf8.cpu().data<byte>().ToArray()).Split('\n');

    /// <summary>Not a step of the network: returns its input.</summary>
    public override Tensor forward(Tensor input) => input;

    /// <summary>
    /// What a generated network's <c>ClassNames</c> setter does: registers the names on <paramref name="owner"/> the first
    /// time (later, the same names are accepted again), and returns the list.
    /// </summary>
    /// <exception cref="ArgumentException">Not one distinct, non-empty name per output, or a name with a line break.</exception>
    /// <exception cref="InvalidOperationException">Removing or changing names a network already has.</exception>
    public static ClassNameList? Attach(Model owner, ClassNameList? current, IReadOnlyList<string>? names, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (names is null)
        {
            return current is null
                ? null
                : throw new InvalidOperationException($"{owner.GetName()} already names its classes; set other names instead of removing them.");
        }
        LabeledDataset.CheckClassNames(names, outputSize);
        if (names.FirstOrDefault(n => n.Contains('\n') || n.Contains('\r')) is { } broken)
        {
            throw new ArgumentException($"The class name '{broken}' has a line break.", nameof(names));
        }
        if (current is not null)
        {
            return current.Names.SequenceEqual(names, StringComparer.Ordinal)
                ? current
                : throw new InvalidOperationException(
                    $"{owner.GetName()} already names its classes {string.Join(", ", current.Names)}; create a new network to name them {string.Join(", ", names)}.");
        }
        var list = new ClassNameList(names);
        owner.register_module(Key, list);
        return list;
    }
}
