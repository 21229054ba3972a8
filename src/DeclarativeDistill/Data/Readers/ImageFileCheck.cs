using System;
using System.IO;
using SkiaSharp;

namespace DeclarativeDistill;

/// <summary>
/// The cheap checks an image folder runs on every file when it is opened, without decoding pixels: the file is not
/// empty, a codec recognises its header, a PNG or JPEG ends as a complete one does (a download cut short does not), and
/// its channels suit the shape. A file that passes may still hold corrupt pixel data; that is found when it is decoded.
/// </summary>
internal static class ImageFileCheck
{
    /// <summary>The last chunk of every PNG: length 0, type <c>IEND</c>, its CRC.</summary>
    private static readonly byte[] PngEnd = { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 };

    /// <summary>The end-of-image marker of a JPEG.</summary>
    private static readonly byte[] JpegEnd = { 0xFF, 0xD9 };

    /// <summary>How far from a file's end its end marker may lie (some writers pad after it).</summary>
    private const int EndSearch = 256;

    /// <summary>Why <paramref name="file"/> cannot be an example of <paramref name="shape"/>, or null when it passes.</summary>
    public static string? Problem(string file, FeatureShape shape, bool convertChannels)
    {
        long length;
        try
        {
            length = new FileInfo(file).Length;
        }
        catch (IOException e)
        {
            return $"cannot be read ({e.Message})";
        }
        if (length == 0)
        {
            return "the file is empty (0 bytes)";
        }

        using var codec = SKCodec.Create(file, out var result);
        if (codec is null)
        {
            return $"not a decodable image: no decoder recognises its header ({Explain(result)})";
        }
        if (codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            return $"not a decodable image: it declares a size of {codec.Info.Width}x{codec.Info.Height}";
        }
        if (CutShort(file, codec.EncodedFormat) is { } cut)
        {
            return cut;
        }
        return ImageChannels.Mismatch(ImageChannels.Of(codec), shape, convertChannels);
    }

    /// <summary>Why a codec gave up, in words.</summary>
    public static string Explain(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends too soon: the file is truncated",
        SKCodecResult.ErrorInInput => "the data is corrupt",
        SKCodecResult.InvalidInput => "the data is not a valid image",
        SKCodecResult.Unimplemented => "not an image format SkiaSharp reads",
        SKCodecResult.CouldNotRewind => "the file could not be re-read",
        SKCodecResult.InternalError => "the decoder failed",
        _ => $"SkiaSharp says {result}",
    };

    private static string? CutShort(string file, SKEncodedImageFormat format)
    {
        var (end, name) = format switch
        {
            SKEncodedImageFormat.Png => (PngEnd, "a PNG ends with its IEND chunk"),
            SKEncodedImageFormat.Jpeg => (JpegEnd, "a JPEG ends with its end-of-image marker (FF D9)"),
            _ => (null, ""),
        };
        if (end is null)
        {
            return null;
        }
        using var stream = File.OpenRead(file);
        int tailLength = (int)Math.Min(stream.Length, EndSearch);
        var tail = new byte[tailLength];
        stream.Seek(-tailLength, SeekOrigin.End);
        stream.ReadExactly(tail);
        return tail.AsSpan().LastIndexOf(end) >= 0 ? null : $"truncated: {name}, and this file does not (it was cut short)";
    }
}
