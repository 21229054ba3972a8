using System;
using System.IO;
using SkiaSharp;

namespace DeclarativeDistill;

/// <summary>
/// Decodes one image file into the features of one example: scaled to cover H×W, cropped about its centre, pixels ÷ 255,
/// channel-major. Every call makes and frees its own Skia objects, so calls on several threads at once are safe.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>
    /// Linear filtering between the two nearest mipmap levels: a large photo shrunk to 32×32 averages its pixels instead
    /// of sampling a few of them (which would alias), and an image scaled up is interpolated bilinearly.
    /// </summary>
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>Writes the <c>shape.Size</c> features of <paramref name="file"/> into <paramref name="features"/>: each pixel divided by <paramref name="divisor"/> (255 for [0, 1], 1 for the stored values).</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded or has the wrong channels; the message names it and says why.</exception>
    public static void Decode(string file, FeatureShape shape, bool convertChannels, float divisor, Span<float> features)
    {
        using var codec = SKCodec.Create(file, out var opened)
            ?? throw new InvalidDataException($"{file}: not a decodable image ({(File.Exists(file) ? ImageFileCheck.Explain(opened) : "the file no longer exists")}).");
        int channels = ImageChannels.Of(codec);
        if (ImageChannels.Mismatch(channels, shape, convertChannels) is { } mismatch)
        {
            throw new InvalidDataException($"{file}: {mismatch}.");
        }

        // Unpremultiplied RGBA without a colour space: the RGB values as stored, whatever the alpha, with no colour
        // management (as PIL reads them); a grayscale image comes out with R = G = B.
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"{file}: the image data cannot be decoded ({ImageFileCheck.Explain(result)}).");
        }

        var (scaledWidth, scaledHeight) = CoveringSize(info.Width, info.Height, shape.Width, shape.Height);
        using var scaled = scaledWidth == info.Width && scaledHeight == info.Height ? null : Scale(decoded, scaledWidth, scaledHeight, file);
        var pixels = (scaled ?? decoded).GetPixelSpan();
        int left = CentredOffset(scaledWidth, shape.Width);
        int top = CentredOffset(scaledHeight, shape.Height);
        WriteFeatures(pixels, scaledWidth, left, top, shape, colourToGray: channels == 3 && shape.Channels == 1, divisor, features);
    }

    /// <summary>
    /// The size of a <paramref name="width"/>×<paramref name="height"/> image scaled by max(W/w, H/h), so that it covers
    /// the target and a centred crop of the target's size loses the least: torchvision's <c>Resize</c> to the shorter side.
    /// </summary>
    internal static (int Width, int Height) CoveringSize(int width, int height, int targetWidth, int targetHeight)
    {
        double scale = Math.Max((double)targetWidth / width, (double)targetHeight / height);
        int scaledWidth = Math.Max(targetWidth, (int)Math.Round(width * scale));
        int scaledHeight = Math.Max(targetHeight, (int)Math.Round(height * scale));
        return (scaledWidth, scaledHeight);
    }

    /// <summary>Where a centred crop of <paramref name="target"/> starts in <paramref name="size"/>, rounded as torchvision's <c>CenterCrop</c>.</summary>
    internal static int CentredOffset(int size, int target) => (int)Math.Round((size - target) / 2.0, MidpointRounding.ToEven);

    private static SKBitmap Scale(SKBitmap decoded, int width, int height, string file)
    {
        var scaled = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var source = decoded.PeekPixels();
        using var destination = scaled.PeekPixels();
        if (!source.ScalePixels(destination, Sampling))
        {
            scaled.Dispose();
            throw new InvalidDataException($"{file}: the {decoded.Width}x{decoded.Height} image could not be scaled to {width}x{height}.");
        }
        return scaled;
    }

    /// <summary>Copies the H×W crop at (<paramref name="left"/>, <paramref name="top"/>) of RGBA pixels into C planes of H×W floats in [0, 1].</summary>
    private static void WriteFeatures(ReadOnlySpan<byte> rgba, int rowWidth, int left, int top, FeatureShape shape, bool colourToGray, float divisor, Span<float> features)
    {
        int height = shape.Height, width = shape.Width, plane = height * width;
        for (int y = 0; y < height; y++)
        {
            var row = rgba.Slice(((top + y) * rowWidth + left) * 4, width * 4);
            for (int x = 0; x < width; x++)
            {
                int at = y * width + x;
                byte red = row[x * 4], green = row[x * 4 + 1], blue = row[x * 4 + 2];
                if (shape.Channels == 3)
                {
                    features[at] = red / divisor;
                    features[plane + at] = green / divisor;
                    features[2 * plane + at] = blue / divisor;
                }
                else
                {
                    // A gray image has R = G = B; a colour one, converted, its luminance (ITU-R 601, as PIL's "L").
                    features[at] = (colourToGray ? 0.299f * red + 0.587f * green + 0.114f * blue : red) / divisor;
                }
            }
        }
    }
}
