using System;
using System.Globalization;
using System.Linq;
using TorchSharp;

namespace DeclarativeDistill;

/// <summary>
/// The shape of one example: a vector of D features (<c>784</c>), an image of C channels, H rows and W
/// columns (<c>1x28x28</c>), or L token ids below a vocabulary of V (<c>tokens(20000, 128)</c>, held as L float
/// features, id 0 the padding), written as in the first item of <c>Layers</c>. Generated networks declare theirs
/// as <c>InputShape</c>; a <see cref="LabeledDataset"/> has the shape of its feature tensor's rows.
/// </summary>
public sealed class FeatureShape : IEquatable<FeatureShape>
{
    private readonly int[] dimensions;

    /// <summary>A vector of <paramref name="dimensions"/>[0] features, or an image of C, H, W.</summary>
    /// <exception cref="ArgumentException">Not one or three positive sizes, or more than int.MaxValue elements.</exception>
    public FeatureShape(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is not (1 or 3) || dimensions.Any(d => d <= 0))
        {
            throw new ArgumentException(
                $"A feature shape is one positive size (a vector) or three (channels, height, width); got [{string.Join(", ", dimensions)}].",
                nameof(dimensions));
        }
        long size = dimensions.Aggregate(1L, (product, d) => product * d);
        if (size > int.MaxValue)
        {
            throw new ArgumentException($"A feature shape of {string.Join("x", dimensions)} has {size:N0} elements, more than {int.MaxValue:N0}.", nameof(dimensions));
        }
        this.dimensions = (int[])dimensions.Clone();
        Size = (int)size;
    }

    /// <summary>Token ids: <paramref name="length"/> per example, each below <paramref name="vocabulary"/> (id 0 is the padding).</summary>
    /// <exception cref="ArgumentException">A size is not positive, or the vocabulary has no token besides the padding.</exception>
    public static FeatureShape Tokens(int vocabulary, int length) =>
        vocabulary >= 2
            ? new FeatureShape(length) { Vocabulary = vocabulary }
            : throw new ArgumentException($"A vocabulary of {vocabulary} has no token besides the padding (id 0).", nameof(vocabulary));

    /// <summary>The vocabulary of token ids; 0 for vectors and images.</summary>
    public int Vocabulary { get; private init; }

    /// <summary>Whether examples are token ids (<c>tokens(V, L)</c>).</summary>
    public bool IsTokens => Vocabulary > 0;

    /// <summary>One size for a vector or token ids; channels, height and width for an image.</summary>
    public ReadOnlySpan<int> Dimensions => dimensions;

    /// <summary>Whether this is an image (channels × height × width).</summary>
    public bool IsImage => dimensions.Length == 3;

    /// <summary>Elements per example: D, or C·H·W.</summary>
    public int Size { get; }

    /// <summary>Channels of an image (the features of a vector).</summary>
    public int Channels => dimensions[0];

    /// <summary>Rows of an image (1 for a vector).</summary>
    public int Height => IsImage ? dimensions[1] : 1;

    /// <summary>Columns of an image (1 for a vector).</summary>
    public int Width => IsImage ? dimensions[2] : 1;

    /// <summary>Reads <c>784</c>, <c>1x28x28</c> or <c>tokens(20000, 128)</c>.</summary>
    /// <exception cref="FormatException">The text is none of them.</exception>
    public static FeatureShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.StartsWith("tokens(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
        {
            var arguments = trimmed["tokens(".Length..^1].Split(',');
            if (arguments.Length == 2
                && int.TryParse(arguments[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int vocabulary) && vocabulary >= 2
                && int.TryParse(arguments[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int length) && length > 0)
            {
                return Tokens(vocabulary, length);
            }
            throw new FormatException($"'{text}' is not token ids: write tokens(V, L), a vocabulary of at least 2 and a positive length.");
        }
        var parts = text.Trim().Split('x');
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] == 0)
            {
                throw new FormatException($"'{text}' is not a feature shape: write a width such as 784 or an image shape such as 1x28x28.");
            }
        }
        if (sizes.Length is not (1 or 3))
        {
            throw new FormatException($"'{text}' is not a feature shape: write a width such as 784 or an image shape such as 1x28x28.");
        }
        return new FeatureShape(sizes);
    }

    /// <summary>
    /// Whether a network of this input shape reads examples of shape <paramref name="data"/>: the same number
    /// of elements and, when both are images, the same channels, height and width (a vector network reads an
    /// image flattened, an image network reads a flat row as its image).
    /// </summary>
    public bool Accepts(FeatureShape data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Size == data.Size && (!IsImage || !data.IsImage || Equals(data)) && (!IsTokens || !data.IsTokens || data.Vocabulary <= Vocabulary);
    }

    /// <summary>
    /// The shape of one example of a batch <c>[N, D]</c> or <c>[N, C, H, W]</c>, or null when its examples are
    /// neither a vector nor an image of positive sizes and at most int.MaxValue elements.
    /// </summary>
    internal static FeatureShape? OfBatch(torch.Tensor batch)
    {
        var sizes = batch.shape.Skip(1).ToArray();
        if (sizes.Length is not (1 or 3) || sizes.Any(d => d <= 0) || sizes.Aggregate(1.0, (p, d) => p * d) > int.MaxValue)
        {
            return null;
        }
        return new FeatureShape(sizes.Select(d => (int)d).ToArray());
    }

    /// <summary>The shape of a batch of <paramref name="count"/> such examples: <c>[count, D]</c> or <c>[count, C, H, W]</c>.</summary>
    public long[] BatchShape(long count) => new[] { count }.Concat(dimensions.Select(d => (long)d)).ToArray();

    /// <inheritdoc/>
    public bool Equals(FeatureShape? other) => other is not null && Vocabulary == other.Vocabulary && dimensions.AsSpan().SequenceEqual(other.dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FeatureShape);

    /// <inheritdoc/>
    public override int GetHashCode() => dimensions.Aggregate(17 + Vocabulary, (hash, d) => hash * 31 + d);

    /// <summary><c>784</c>, <c>1x28x28</c> or <c>tokens(20000, 128)</c>.</summary>
    public override string ToString() => IsTokens
        ? FormattableString.Invariant($"tokens({Vocabulary}, {Size})")
        : string.Join("x", dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>For messages: <c>1x28x28 (784 features)</c> for an image, <c>784 features</c> for a vector, <c>128 token ids</c>.</summary>
    internal string Describe() => IsImage ? FormattableString.Invariant($"{this} ({Size} features)")
        : IsTokens ? FormattableString.Invariant($"{Size} token ids (vocabulary {Vocabulary})")
        : FormattableString.Invariant($"{Size} features");
}
