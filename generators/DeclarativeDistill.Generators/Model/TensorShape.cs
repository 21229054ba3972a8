using System.Globalization;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// The shape of one example at some point of a network: an image of <see cref="Channels"/> ×
/// <see cref="Height"/> × <see cref="Width"/>; a vector of <see cref="Channels"/> features (height and width 1);
/// token ids (<see cref="IsTokens"/>: <see cref="Length"/> ids below <see cref="Vocabulary"/>, 0 the padding); or a
/// sequence (<see cref="IsSequence"/>: <see cref="Length"/> steps of <see cref="Channels"/> features). Sizes are longs
/// so that a declaration too large for a tensor is reported, not wrapped.
/// </summary>
internal sealed record TensorShape(long Channels, long Height, long Width, bool IsImage)
{
    public static TensorShape Vector(long features) => new(features, 1, 1, false);

    public static TensorShape Image(long channels, long height, long width) => new(channels, height, width, true);

    /// <summary>Token ids: <paramref name="length"/> of them per example, each below <paramref name="vocabulary"/>.</summary>
    public static TensorShape Tokens(long vocabulary, long length) => new(1, length, 1, false) { Vocabulary = vocabulary };

    /// <summary>A sequence of <paramref name="length"/> steps of <paramref name="width"/> features each.</summary>
    public static TensorShape Sequence(long length, long width) => new(width, length, 1, false) { IsSequence = true };

    /// <summary>The vocabulary of token ids; 0 for every other shape.</summary>
    public long Vocabulary { get; init; }

    /// <summary>Whether these are token ids (the input of a text network).</summary>
    public bool IsTokens => Vocabulary > 0;

    /// <summary>Whether this is a sequence of steps, each a vector of <see cref="Channels"/> features.</summary>
    public bool IsSequence { get; init; }

    /// <summary>Steps of a sequence, or token ids per example.</summary>
    public long Length => Height;

    /// <summary>Whether it is a plain vector of features.</summary>
    public bool IsVector => !IsImage && !IsTokens && !IsSequence;

    /// <summary>Elements per example: C·H·W for an image, the width of a vector, the ids of tokens, steps × width of a sequence.</summary>
    public long Size => Channels * Height * Width;

    /// <summary>
    /// <c>1x28x28</c> for an image, <c>784</c> for a vector, <c>tokens(20000, 128)</c> for token ids (the syntax of the
    /// first item of <c>Layers</c>); <c>128x64</c> (steps × features) for a sequence.
    /// </summary>
    public override string ToString() =>
        IsTokens ? string.Format(CultureInfo.InvariantCulture, "tokens({0}, {1})", Vocabulary, Length)
        : IsSequence ? string.Format(CultureInfo.InvariantCulture, "{0}x{1}", Length, Channels)
        : IsImage ? string.Format(CultureInfo.InvariantCulture, "{0}x{1}x{2}", Channels, Height, Width)
        : Channels.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// For messages about inputs: <c>1x28x28 (784 features)</c> for an image, <c>785 features</c> for a vector,
    /// <c>tokens(20000, 128) (128 token ids)</c>, so that an image and a vector compare by the number that decides
    /// whether they read the same examples.
    /// </summary>
    public string DescribeFeatures()
    {
        if (IsTokens)
        {
            return ToString() + " (" + Length.ToString("N0", CultureInfo.InvariantCulture) + " token ids)";
        }
        string features = Size.ToString("N0", CultureInfo.InvariantCulture) + (Size == 1 ? " feature" : " features");
        return IsImage ? ToString() + " (" + features + ")" : features;
    }

    /// <summary>For messages: <c>a 64x7x7 image</c>, <c>a vector of 128</c>, <c>a sequence of 128 steps of 64 features</c>.</summary>
    public string Describe() =>
        IsTokens ? string.Format(CultureInfo.InvariantCulture, "token ids ({0} per example, vocabulary {1})", Length, Vocabulary)
        : IsSequence ? string.Format(CultureInfo.InvariantCulture, "a sequence of {0} steps of {1} features", Length, Channels)
        : IsImage ? ToString() : "a vector of " + ToString();
}
