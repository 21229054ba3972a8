using System;
using System.IO;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace DeclarativeDistill.Tests.Data;

/// <summary>
/// A temporary image folder for a test, deleted on dispose, and images written into it with SkiaSharp: PNG (lossless,
/// so its pixels are known exactly) and JPEG, colour (RGBA bytes) or grayscale (one byte a pixel).
/// </summary>
internal sealed class ImageFiles : IDisposable
{
    private readonly TempFolder folder = new();

    /// <summary>The folder the test opens.</summary>
    public string Root => folder.Path;

    /// <summary>The full path of <paramref name="relative"/> (e.g. <c>cat/1.png</c>), its folder created.</summary>
    public string PathOf(string relative)
    {
        string path = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Writes a colour image of <paramref name="width"/>×<paramref name="height"/> whose pixel (x, y) is <paramref name="colour"/>(x, y).</summary>
    public string Colour(string relative, int width, int height, Func<int, int, (byte R, byte G, byte B)> colour, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = colour(x, y);
                int at = (y * width + x) * 4;
                (rgba[at], rgba[at + 1], rgba[at + 2], rgba[at + 3]) = (r, g, b, 255);
            }
        }
        return Write(relative, new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba, format);
    }

    /// <summary>Writes a grayscale image whose pixel (x, y) is <paramref name="gray"/>(x, y).</summary>
    public string Gray(string relative, int width, int height, Func<int, int, byte> gray, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        var bytes = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bytes[y * width + x] = gray(x, y);
            }
        }
        return Write(relative, new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), bytes, format);
    }

    /// <summary>Writes <paramref name="bytes"/> as they are (an empty file, text, a cut image).</summary>
    public string Bytes(string relative, byte[] bytes)
    {
        string path = PathOf(relative);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string relative, SKImageInfo info, byte[] pixels, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(info);
        Assert(bitmap.RowBytes == info.Width * info.BytesPerPixel, "rows are packed");
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var encoded = bitmap.Encode(format, 100);
        Assert(encoded is not null, $"SkiaSharp encodes {info.ColorType} as {format}");
        return Bytes(relative, encoded!.ToArray());
    }

    private static void Assert(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Test image writer: expected that {what}.");
        }
    }

    /// <summary>
    /// Flips bytes inside a PNG's compressed pixels (its first IDAT chunk), leaving its header and IEND chunk intact: a
    /// file that passes the checks made on opening and fails only when decoded.
    /// </summary>
    public static void CorruptPixels(string png)
    {
        byte[] bytes = File.ReadAllBytes(png);
        int data = bytes.AsSpan().IndexOf("IDAT"u8) + 4;
        for (int i = data + 2; i < data + 20; i++)
        {
            bytes[i] ^= 0x5A;
        }
        File.WriteAllBytes(png, bytes);
    }

    public void Dispose() => folder.Dispose();
}
