using SkiaSharp;

namespace DeclarativeDistill;

/// <summary>How many channels an encoded image has, as its codec reports it, and how to say so in a message.</summary>
internal static class ImageChannels
{
    /// <summary>
    /// 1 for a grayscale image (Skia reports <see cref="SKColorType.Gray8"/> for gray PNGs and gray JPEGs), 3 otherwise:
    /// colour, palette, and gray with alpha (which Skia reports as colour), alpha being dropped as PIL's <c>convert("RGB")</c> does.
    /// </summary>
    public static int Of(SKCodec codec) => codec.Info.ColorType == SKColorType.Gray8 ? 1 : 3;

    /// <summary><c>grayscale (1 channel)</c> or <c>colour (3 channels)</c>.</summary>
    public static string Describe(int channels) => channels == 1 ? "grayscale (1 channel)" : "colour (3 channels)";

    /// <summary>Why an image of <paramref name="channels"/> cannot be an example of <paramref name="shape"/>, or null when it can.</summary>
    public static string? Mismatch(int channels, FeatureShape shape, bool convert) =>
        channels == shape.Channels || convert
            ? null
            : $"the image is {Describe(channels)} but the shape {shape} wants {shape.Channels} channel{(shape.Channels == 1 ? "" : "s")}; set ImageFolderOptions.ConvertChannels to convert it";
}
