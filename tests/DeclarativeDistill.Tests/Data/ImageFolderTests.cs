using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeclarativeDistill;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>A small network on 8x8 colour images in three classes, to train on an image folder.</summary>
[Teacher(Layers = "3x8x8, conv(4, 3), gap, 3")]
public partial class ImageFolderNetwork { }

/// <summary>
/// Image folders: classes and labels from subfolders, the pixels as written, torchvision's resize and centre crop, a
/// folder on disk reads and trains as the same images in memory, and every kind of bad folder or file is named.
/// </summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly ImageFiles images = new();

    public void Dispose() => images.Dispose();

    [Fact]
    public void Classes_are_the_subfolders_sorted_ordinally_and_files_are_sorted_within_each()
    {
        images.Colour("b_dog/1.png", 8, 8, (x, y) => (1, 2, 3));
        string cat10 = images.Colour("a_cat/10.png", 8, 8, (x, y) => (4, 5, 6));
        string cat2 = images.Colour("a_cat/2.png", 8, 8, (x, y) => (7, 8, 9));
        string catDeep = images.Colour("a_cat/sub/deep.jpeg", 8, 8, (x, y) => (10, 11, 12), SKEncodedImageFormat.Jpeg);
        string catUpper = images.Colour("a_cat/x.JPG", 8, 8, (x, y) => (13, 14, 15), SKEncodedImageFormat.Jpeg);
        string bird = images.Colour("C_bird/a.png", 8, 8, (x, y) => (16, 17, 18));
        string dog = Path.Combine(images.Root, "b_dog", "1.png");
        images.Bytes("a_cat/notes.txt", "not an image"u8.ToArray());
        images.Bytes("a_cat/.hidden.png", Array.Empty<byte>());
        images.Bytes("a_cat/.cache/thumb.png", Array.Empty<byte>());
        images.Bytes(".git/x.png", Array.Empty<byte>());
        images.Colour("loose.png", 8, 8, (x, y) => (0, 0, 0));

        using var source = Datasets.OpenImageFolder(images.Root, "3x8x8");

        Assert.Equal(new[] { "C_bird", "a_cat", "b_dog" }, source.ClassNames);
        Assert.Equal(3, source.ClassCount);
        Assert.Equal(new[] { bird, cat10, cat2, catDeep, catUpper, dog }, source.Files);
        Assert.Equal(6, source.Count);
        Assert.Empty(source.Skipped);
        Assert.Equal(images.Root, source.Origin);
        Assert.Equal(FeatureShape.Parse("3x8x8"), source.Shape);
        using var data = source.ToMemory();
        Assert.Equal(new long[] { 0, 1, 1, 1, 1, 2 }, data.Labels.data<long>().ToArray());
        Assert.Equal(source.ClassNames, data.ClassNames);
    }

    [Fact]
    public void A_png_of_the_target_size_comes_out_as_written_divided_by_255_channel_major()
    {
        var random = new Random(61);
        var colour = new (byte R, byte G, byte B)[8, 8];
        var gray = new byte[8, 8];
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                colour[x, y] = ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                gray[x, y] = (byte)random.Next(256);
            }
        }
        images.Colour("rgb/a.png", 8, 8, (x, y) => colour[x, y]);
        using (var data = Datasets.FromImageFolder(images.Root, "3x8x8"))
        {
            var expected = new float[3 * 64];
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    expected[y * 8 + x] = colour[x, y].R / 255f;
                    expected[64 + y * 8 + x] = colour[x, y].G / 255f;
                    expected[128 + y * 8 + x] = colour[x, y].B / 255f;
                }
            }
            Assert.Equal(new long[] { 1, 3, 8, 8 }, data.Features.shape);
            Assert.Equal(expected, data.Features.data<float>().ToArray());
        }

        using var grayImages = new ImageFiles();
        grayImages.Gray("digits/a.png", 8, 8, (x, y) => gray[x, y]);
        using var grayData = Datasets.FromImageFolder(grayImages.Root, "1x8x8");
        var expectedGray = Enumerable.Range(0, 64).Select(i => gray[i % 8, i / 8] / 255f).ToArray();
        Assert.Equal(expectedGray, grayData.Features.data<float>().ToArray());

        // As stored, for a network that normalises raw pixels itself.
        using var rawGray = Datasets.FromImageFolder(grayImages.Root, "1x8x8", new ImageFolderOptions { RawPixels = true });
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (float)gray[i % 8, i / 8]), rawGray.Features.data<float>().ToArray());
    }

    [Theory]
    [InlineData(16, 8, "no resize, crop only")]
    [InlineData(32, 16, "halved, then cropped")]
    public void A_wide_image_is_scaled_to_cover_the_target_and_cropped_about_its_centre(int width, int height, string what)
    {
        // Left quarter red, middle half green, right quarter blue: the centred square is the green half.
        images.Colour("wide/a.png", width, height, (x, y) => x < width / 4 ? ((byte)255, (byte)0, (byte)0) : x < width * 3 / 4 ? ((byte)0, (byte)255, (byte)0) : ((byte)0, (byte)0, (byte)255));

        using var data = Datasets.FromImageFolder(images.Root, "3x8x8");

        var planes = data.Features[0];
        float tolerance = width == 16 ? 0f : 0.02f; // exact when only cropped; filtering may blur the edges a little otherwise
        Assert.True(planes[0].max().item<float>() <= tolerance, $"{what}: no red in the crop");
        Assert.True(planes[1].min().item<float>() >= 1 - tolerance, $"{what}: all green in the crop");
        Assert.True(planes[2].max().item<float>() <= tolerance, $"{what}: no blue in the crop");
    }

    [Fact]
    public void A_small_image_is_scaled_up_bilinearly_and_cropped_about_its_centre()
    {
        // 8x4, red in columns 0-1, green in 2-5, blue in 6-7: doubled to 16x8 and cropped to columns 4-11, whose pixel
        // centres fall on the source's columns 1.75 to 5.25. The inner six columns are green; the outer two blend a
        // quarter of red (left) or blue (right) into green, as bilinear interpolation does.
        images.Colour("small/a.png", 8, 4, (x, y) => x < 2 ? ((byte)255, (byte)0, (byte)0) : x < 6 ? ((byte)0, (byte)255, (byte)0) : ((byte)0, (byte)0, (byte)255));

        using var data = Datasets.FromImageFolder(images.Root, "3x8x8");

        var green = data.Features[0][1];
        Assert.True(green.narrow(1, 1, 6).min().item<float>() >= 0.98f, "the inner columns are green");
        foreach (int column in new[] { 0, 7 })
        {
            float edge = green[4][column].item<float>();
            Assert.InRange(edge, 0.6f, 0.9f);
        }
        Assert.True(data.Features[0][0].narrow(1, 0, 1).min().item<float>() > 0.1f, "red blends into the left column");
        Assert.True(data.Features[0][2].narrow(1, 7, 1).min().item<float>() > 0.1f, "blue blends into the right column");
    }

    [Fact]
    public void A_tall_jpeg_is_scaled_and_cropped_to_its_middle_rows()
    {
        // Top and bottom quarters black, the middle half a flat orange; JPEG is lossy, so compare loosely.
        images.Colour("tall/a.jpg", 20, 40, (x, y) => y < 10 || y >= 30 ? ((byte)0, (byte)0, (byte)0) : ((byte)240, (byte)120, (byte)30), SKEncodedImageFormat.Jpeg);

        using var data = Datasets.FromImageFolder(images.Root, "3x8x8");

        var means = data.Features[0].mean(new long[] { 1, 2 }).data<float>().ToArray();
        Assert.Equal(240 / 255.0, means[0], 0.05);
        Assert.Equal(120 / 255.0, means[1], 0.05);
        Assert.Equal(30 / 255.0, means[2], 0.05);
    }

    [Fact]
    public void Batches_read_from_the_folder_on_several_threads_equal_the_folder_in_memory()
    {
        WriteTrainingImages(images, count: 24, seed: 62);
        using var source = Datasets.OpenImageFolder(images.Root, "3x8x8");
        using var inMemory = Datasets.FromImageFolder(images.Root, "3x8x8");
        Assert.Equal(24, inMemory.Count);

        Parallel.For(0, 8, batch =>
        {
            long[] indices = Enumerable.Range(0, 6).Select(i => (long)((batch * 7 + i * 5) % 24)).ToArray();
            var (features, labels) = source.ReadBatch(indices);
            using (features)
            using (labels)
            using (var index = tensor(indices))
            using (var expectedFeatures = inMemory.Features.index_select(0, index))
            using (var expectedLabels = inMemory.Labels.index_select(0, index))
            {
                Assert.True(SyntheticData.Same(expectedFeatures, features), $"batch {batch}: the same pixels");
                Assert.True(SyntheticData.Same(expectedLabels, labels!), $"batch {batch}: the same labels");
            }
        });
    }

    [Fact]
    public void Fit_on_the_folder_gives_the_losses_of_fit_on_the_same_images_in_memory()
    {
        WriteTrainingImages(images, count: 48, seed: 63);
        double[] Train(DataSource data)
        {
            manual_seed(64);
            using var network = new ImageFolderNetwork();
            return network.Fit(data, new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = 65 }).Epochs.Select(e => e.Loss).ToArray();
        }

        using var source = Datasets.OpenImageFolder(images.Root, "3x8x8");
        using var inMemory = Datasets.FromImageFolder(images.Root, "3x8x8");

        var losses = Train(source);
        Assert.Equal(Train(inMemory), losses);
        Assert.All(losses, loss => Assert.True(double.IsFinite(loss)));
    }

    [Theory]
    [InlineData("784")]
    [InlineData("2x8x8")]
    [InlineData("4x8x8")]
    [InlineData("3x8")]
    [InlineData("rgb")]
    public void A_shape_that_is_not_1_or_3_channels_by_height_by_width_is_refused_by_name(string shape)
    {
        images.Colour("a/1.png", 8, 8, (x, y) => (0, 0, 0));
        var error = Assert.Throws<ArgumentException>(() => Datasets.OpenImageFolder(images.Root, shape));
        Assert.Contains($"'{shape}'", error.Message);
    }

    [Fact]
    public void A_missing_directory_is_named()
    {
        string missing = Path.Combine(images.Root, "nowhere");
        var error = Assert.Throws<DirectoryNotFoundException>(() => Datasets.OpenImageFolder(missing, "3x8x8"));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_folder_without_class_subfolders_is_named()
    {
        images.Colour("loose.png", 8, 8, (x, y) => (0, 0, 0));
        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenImageFolder(images.Root, "3x8x8"));
        Assert.Contains(images.Root, error.Message);
        Assert.Contains("no class subfolders", error.Message);
    }

    [Fact]
    public void An_empty_class_folder_is_named_unless_the_class_names_are_fixed()
    {
        images.Colour("cat/1.png", 8, 8, (x, y) => (0, 0, 0));
        images.Bytes("dog/readme.txt", "no images here"u8.ToArray());
        string dog = Path.Combine(images.Root, "dog");

        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenImageFolder(images.Root, "3x8x8"));
        Assert.Contains(dog, error.Message);
        Assert.Contains("holds no images", error.Message);

        using var fixedClasses = Datasets.OpenImageFolder(images.Root, "3x8x8", new ImageFolderOptions { ClassNames = new[] { "dog", "bird", "cat" } });
        Assert.Equal(new[] { "dog", "bird", "cat" }, fixedClasses.ClassNames);
        Assert.Equal(3, fixedClasses.ClassCount);
        using var data = fixedClasses.ToMemory();
        Assert.Equal(new long[] { 2 }, data.Labels.data<long>().ToArray());

        var unlisted = Assert.Throws<InvalidDataException>(() =>
            Datasets.OpenImageFolder(images.Root, "3x8x8", new ImageFolderOptions { ClassNames = new[] { "dog" } }));
        Assert.Contains(Path.Combine(images.Root, "cat"), unlisted.Message);
    }

    [Fact]
    public void Each_unreadable_file_is_named_with_what_is_wrong()
    {
        images.Colour("good/1.png", 8, 8, (x, y) => (0, 0, 0));
        byte[] png = File.ReadAllBytes(images.Colour("spare/a.png", 12, 12, (x, y) => ((byte)(x * 20), (byte)(y * 20), 7)));
        Directory.Delete(Path.Combine(images.Root, "spare"), recursive: true);

        AssertNamed(images.Bytes("bad/empty.png", Array.Empty<byte>()), "empty (0 bytes)");
        AssertNamed(images.Bytes("bad/cut.png", png[..(png.Length / 2)]), "truncated");
        AssertNamed(images.Bytes("bad/header.png", png[..20]), "not a decodable image");
        AssertNamed(images.Bytes("bad/text.jpg", "just some text, not a JPEG"u8.ToArray()), "not a decodable image");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    public void A_grayscale_image_where_3_channels_are_wanted_is_named_with_its_channels_unless_converted(SKEncodedImageFormat format)
    {
        images.Colour("colour/1.png", 8, 8, (x, y) => (0, 0, 0));
        string gray = images.Gray("gray/1." + (format == SKEncodedImageFormat.Png ? "png" : "jpg"), 8, 8, (x, y) => (byte)(x * 30), format);

        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenImageFolder(images.Root, "3x8x8"));
        Assert.Contains(gray, error.Message);
        Assert.Contains("grayscale (1 channel)", error.Message);
        Assert.Contains("3x8x8 wants 3 channels", error.Message);

        using var converted = Datasets.FromImageFolder(images.Root, "3x8x8", new ImageFolderOptions { ConvertChannels = true });
        var planes = converted.Features[1];
        Assert.True(SyntheticData.Same(planes[0], planes[1]) && SyntheticData.Same(planes[1], planes[2]), "gray replicated into R, G and B");
        float tolerance = format == SKEncodedImageFormat.Png ? 0f : 0.05f;
        for (int x = 0; x < 8; x++)
        {
            Assert.Equal(x * 30 / 255f, planes[0][3][x].item<float>(), tolerance);
        }
    }

    [Fact]
    public void A_colour_image_where_1_channel_is_wanted_is_named_unless_converted_to_its_luminance()
    {
        string colour = images.Colour("colour/1.png", 8, 8, (x, y) => (200, 100, 50));

        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenImageFolder(images.Root, "1x8x8"));
        Assert.Contains(colour, error.Message);
        Assert.Contains("colour (3 channels)", error.Message);

        using var converted = Datasets.FromImageFolder(images.Root, "1x8x8", new ImageFolderOptions { ConvertChannels = true });
        float luminance = (0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255f;
        Assert.All(converted.Features.data<float>().ToArray(), value => Assert.Equal(luminance, value, 1e-6f));
    }

    [Fact]
    public void Skip_unreadable_lists_exactly_the_bad_files_with_why_and_the_rest_train()
    {
        WriteTrainingImages(images, count: 24, seed: 66);
        byte[] png = File.ReadAllBytes(Path.Combine(images.Root, "class0", "00.png"));
        var bad = new[]
        {
            (images.Bytes("class0/empty.png", Array.Empty<byte>()), "empty"),
            (images.Bytes("class1/cut.png", png[..(png.Length / 2)]), "truncated"),
            (images.Bytes("class1/text.jpg", "hello"u8.ToArray()), "not a decodable image"),
            (images.Gray("class2/gray.png", 8, 8, (x, y) => 9), "grayscale (1 channel)"),
        };

        using var source = Datasets.OpenImageFolder(images.Root, "3x8x8", new ImageFolderOptions { SkipUnreadable = true });

        Assert.Equal(bad.Select(b => b.Item1).OrderBy(f => f, StringComparer.Ordinal), source.Skipped.Select(s => s.File).OrderBy(f => f, StringComparer.Ordinal));
        foreach (var (file, reason) in bad)
        {
            Assert.Contains(reason, source.Skipped.Single(s => s.File == file).Reason);
        }
        Assert.Equal(24, source.Count);
        Assert.DoesNotContain(source.Files, file => bad.Any(b => b.Item1 == file));
        manual_seed(67);
        using var network = new ImageFolderNetwork();
        var losses = network.Fit(source, new TrainingOptions { Epochs = 2, BatchSize = 8 }).Epochs.Select(e => e.Loss).ToArray();
        Assert.All(losses, loss => Assert.True(double.IsFinite(loss)));
    }

    [Fact]
    public void Corrupt_pixel_data_behind_a_sound_header_is_named_when_the_image_is_read()
    {
        string file = images.Colour("a/1.png", 32, 32, (x, y) => ((byte)(x * 7), (byte)(y * 7), (byte)(x ^ y)));
        ImageFiles.CorruptPixels(file);

        using var source = Datasets.OpenImageFolder(images.Root, "3x8x8");
        var error = Assert.Throws<InvalidDataException>(() => source.ToMemory());
        Assert.Contains(file, error.Message);
        Assert.Contains("cannot be decoded", error.Message);
    }

    [Fact]
    public void Labels_and_a_stratified_split_come_from_the_class_folders_without_decoding_an_image()
    {
        WriteTrainingImages(images, count: 12, seed: 68);
        ImageFiles.CorruptPixels(Path.Combine(images.Root, "class1", "00.png")); // decoding it would throw

        using var source = Datasets.OpenImageFolder(images.Root, "3x8x8");
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, source.ReadLabels());

        var (train, test) = source.Split(test: 0.25, seed: 69);
        using (train)
        using (test)
        {
            Assert.Equal(9, train.Count);
            Assert.Equal(new long[] { 1, 1, 1 }, test.ReadLabels().GroupBy(label => label).Select(group => (long)group.Count()).ToArray());
        }
    }

    private static void AssertNamed(string file, string what)
    {
        string root = Path.GetDirectoryName(Path.GetDirectoryName(file))!;
        var error = Assert.Throws<InvalidDataException>(() => Datasets.OpenImageFolder(root, "3x8x8"));
        Assert.Contains(file, error.Message);
        Assert.Contains(what, error.Message);
        File.Delete(file);
    }

    /// <summary>
    /// <paramref name="count"/> images in three classes told apart by their mean colour, of sizes other than 8x8 (so each
    /// is scaled and cropped), PNG and JPEG.
    /// </summary>
    private static void WriteTrainingImages(ImageFiles images, int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            int width = 8 + random.Next(12), height = 8 + random.Next(12);
            var format = i % 4 == 3 ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
            string name = $"class{label}/{i / 3:D2}.{(format == SKEncodedImageFormat.Png ? "png" : "jpg")}";
            var noise = new byte[width * height * 3];
            random.NextBytes(noise);
            images.Colour(name, width, height, (x, y) =>
            {
                int at = (y * width + x) * 3;
                return ((byte)(noise[at] / 2 + label * 60), (byte)(noise[at + 1] / 2), (byte)(noise[at + 2] / 2 + (2 - label) * 60));
            }, format);
        }
    }
}
