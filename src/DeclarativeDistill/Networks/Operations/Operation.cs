using System;
using System.Collections.Generic;

namespace DeclarativeDistill.Operations;

/// <summary>
/// One operation of a generated network in evaluation mode, as data: what it computes and which state_dict tensors
/// it reads. The generator writes a network's operations into its <see cref="NetworkDescription"/>; each kind of
/// operation also knows how ONNX writes it.
/// </summary>
public abstract record Operation
{
    private protected Operation()
    {
    }

    /// <summary>The tensors it reads from the network's state_dict (full keys), with their shapes.</summary>
    public virtual IEnumerable<StateTensor> State => Array.Empty<StateTensor>();

    /// <summary>The keys of its weights that int8 quantization and pruning compress.</summary>
    public virtual IEnumerable<string> CompressibleWeights => Array.Empty<string>();

    /// <summary>Adds its nodes to <paramref name="graph"/>, reading the value <paramref name="x"/>; returns the value it gives.</summary>
    internal abstract string Export(OnnxGraph graph, string x);

    /// <summary>Throws unless <paramref name="module"/> names a module: a state_dict prefix such as <c>conv1</c>.</summary>
    private protected static string Named(string module) =>
        string.IsNullOrEmpty(module) ? throw new ArgumentException("An operation with state names its module.", nameof(module)) : module;

    /// <summary>Throws unless every size is positive.</summary>
    private protected static void Positive(params long[] sizes)
    {
        foreach (long size in sizes)
        {
            if (size <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), $"Sizes must be positive; got {string.Join(", ", sizes)}.");
            }
        }
    }
}
