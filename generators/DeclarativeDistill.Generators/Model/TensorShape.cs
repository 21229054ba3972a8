using System.Globalization;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// The shape of one example at some point of a network: an image of <see cref="Channels"/> ×
/// <see cref="Height"/> × <see cref="Width"/>, or a vector of <see cref="Channels"/> features (height and
/// width 1). Sizes are longs so that a declaration too large for a tensor is reported, not wrapped.
/// </summary>
internal sealed record TensorShape(long Channels, long Height, long Width, bool IsImage)
{
    public static TensorShape Vector(long features) => new(features, 1, 1, false);

    public static TensorShape Image(long channels, long height, long width) => new(channels, height, width, true);

    /// <summary>Elements per example: C·H·W for an image, the width of a vector.</summary>
    public long Size => Channels * Height * Width;

    /// <summary><c>1x28x28</c> for an image, <c>784</c> for a vector: the syntax of the first item of <c>Layers</c>.</summary>
    public override string ToString() => IsImage
        ? string.Format(CultureInfo.InvariantCulture, "{0}x{1}x{2}", Channels, Height, Width)
        : Channels.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// For messages about inputs: <c>1x28x28 (784 features)</c> for an image, <c>785 features</c> for a vector, so that an
    /// image and a vector compare by the number that decides whether they read the same examples.
    /// </summary>
    public string DescribeFeatures()
    {
        string features = Size.ToString("N0", CultureInfo.InvariantCulture) + (Size == 1 ? " feature" : " features");
        return IsImage ? ToString() + " (" + features + ")" : features;
    }

    /// <summary>For messages: <c>a 64x7x7 image</c>, <c>a vector of 128</c>.</summary>
    public string Describe() => IsImage ? ToString() : "a vector of " + ToString();
}
