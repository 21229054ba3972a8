using System.Collections.Generic;
using System.Globalization;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>Where a layer stands, as its kind's shape rule and lowering need to know it.</summary>
internal sealed class LayerContext
{
    private readonly Dictionary<string, int> fields = new();

    /// <param name="activation">The network's activation.</param>
    /// <param name="dropout">The class-level dropout after every hidden fully connected layer (0: none).</param>
    public LayerContext(Activation activation, double dropout)
    {
        Activation = activation;
        Dropout = dropout;
    }

    /// <summary>The network's activation.</summary>
    public Activation Activation { get; }

    /// <summary>The class-level dropout after every hidden fully connected layer; 0 for none.</summary>
    public double Dropout { get; }

    /// <summary>The shape of one example entering the layer.</summary>
    public TensorShape Input { get; internal set; } = TensorShape.Vector(1);

    /// <summary>Whether it is the last item: its output is the logits.</summary>
    public bool IsLast { get; internal set; }

    /// <summary>The item after it, if any.</summary>
    public LayerSpec? Next { get; internal set; }

    /// <summary>The next free name with this prefix: <c>conv1</c>, then <c>conv2</c>, ...</summary>
    public string NextField(string prefix)
    {
        fields.TryGetValue(prefix, out int count);
        fields[prefix] = ++count;
        return prefix + count.ToString(CultureInfo.InvariantCulture);
    }
}
