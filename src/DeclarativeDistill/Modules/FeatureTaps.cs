using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill.Modules;

/// <summary>
/// What a generated <c>Features</c> collects on its way through <c>forward</c>: the outputs of the layers asked
/// for, and when to stop (after the deepest of them).
/// </summary>
public sealed class FeatureTaps
{
    private readonly string[] requested;
    private readonly Tensor[] features;
    private readonly string deepest;

    /// <param name="network">The network's name, for messages.</param>
    /// <param name="layers">Its <see cref="IFeatureLayers.FeatureLayers"/>, in forward order.</param>
    /// <param name="requested">The layers asked for.</param>
    /// <exception cref="ArgumentException">Nothing is asked for, or a name is not one of <paramref name="layers"/>.</exception>
    public FeatureTaps(string network, IReadOnlyList<string> layers, string[] requested)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Length == 0)
        {
            throw new ArgumentException($"Name at least one layer of {network}: {string.Join(", ", layers)}.", nameof(requested));
        }
        int deepestIndex = -1;
        foreach (string name in requested)
        {
            int index = name is null ? -1 : IndexOf(layers, name);
            if (index < 0)
            {
                throw new ArgumentException($"{network} has no layer '{name}'; its layers are {string.Join(", ", layers)}.", nameof(requested));
            }
            deepestIndex = Math.Max(deepestIndex, index);
        }
        this.requested = requested;
        features = new Tensor[requested.Length];
        deepest = layers[deepestIndex];
    }

    /// <summary>The outputs asked for, in the order asked, once <see cref="Take"/> has returned true.</summary>
    public Tensor[] Features => features;

    /// <summary>Keeps <paramref name="output"/> if <paramref name="layer"/> was asked for; true when it is the deepest asked for, and forward can stop.</summary>
    public bool Take(string layer, Tensor output)
    {
        for (int i = 0; i < requested.Length; i++)
        {
            if (requested[i] == layer)
            {
                features[i] = output;
            }
        }
        return layer == deepest;
    }

    private static int IndexOf(IReadOnlyList<string> layers, string name)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
