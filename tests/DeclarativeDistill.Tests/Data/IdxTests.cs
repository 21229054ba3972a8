using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Xunit;

namespace DeclarativeDistill.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("dd-idx-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_raw_and_gzipped_files(bool gzip)
    {
        var pixels = Enumerable.Range(0, 3 * 2 * 2).Select(i => (byte)(i * 20)).ToArray();
        string images = Write("images", Header(3, 3, 2, 2).Concat(pixels).ToArray(), gzip);
        string labels = Write("labels", Header(1, 3).Concat(new byte[] { 7, 0, 9 }).ToArray(), gzip);

        using var data = Idx.Load(images, labels);

        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.FeatureSize);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(new long[] { 7, 0, 9 }, data.Labels.data<long>().ToArray());
        Assert.Equal(pixels.Select(p => p / 255f), data.Features.data<float>().ToArray());
    }

    [Fact]
    public void A_truncated_data_section_names_the_file_and_the_sizes()
    {
        string images = Write("images", Header(3, 3, 2, 2).Concat(new byte[10]).ToArray());
        string labels = Write("labels", Header(1, 3).Concat(new byte[3]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.Contains(images, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("3 × 2 × 2 = 12 bytes", error.Message);
        Assert.Contains("only 10 follow", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "too short for an IDX header")]
    [InlineData(new byte[] { 0x50, 0x4b, 8, 1, 0, 0, 0, 1, 0 }, "not an IDX file")]
    [InlineData(new byte[] { 0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "element type 0x0d is not supported")]
    [InlineData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 }, "truncated header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 0 }, "dimension 1 has size 0")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 5, 6 }, "1 unexpected bytes after")]
    public void A_corrupt_header_is_refused_with_what_is_wrong(byte[] content, string expected)
    {
        string labels = Write("labels", content);
        string images = Write("images", Header(3, 1, 1, 1).Concat(new byte[1]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.Contains(labels, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_corrupt_gzip_stream_is_refused()
    {
        byte[] compressed = Gzip(Header(1, 100).Concat(new byte[100]).ToArray());
        string labels = Write("labels", compressed.Take(compressed.Length / 2).ToArray());
        string images = Write("images", Header(3, 100, 1, 1).Concat(new byte[100]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.Contains(labels, error.Message);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_from_its_header_without_inflating_it()
    {
        // The header claims 2^31 - 1 images of 28 × 28, and 32 MB of zeros follow: about 32 KB compressed.
        string images = Write("images", Header(3, int.MaxValue, 28, 28).Concat(new byte[32 << 20]).ToArray(), gzip: true);
        string labels = Write("labels", Header(1, 1).Concat(new byte[1]).ToArray());

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(images, error.Message);
        Assert.Contains("too large", error.Message);
        Assert.True(allocated < 4 << 20, $"refusing the file allocated {allocated:N0} bytes; the header alone should decide");
    }

    [Fact]
    public void A_gzip_file_that_declares_more_than_it_can_inflate_to_is_refused_before_allocating()
    {
        // 1,000 × 1,000 × 1,000 bytes declared (within an array's limit) in a gzip file of a few dozen bytes.
        string images = Write("images", Header(3, 1000, 1000, 1000).Concat(new byte[10]).ToArray(), gzip: true);
        string labels = Write("labels", Header(1, 1000).Concat(new byte[1000]).ToArray());

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(images, error.Message);
        Assert.Contains("more than a gzip file of this size can hold", error.Message);
        Assert.True(allocated < 4 << 20, $"refusing the file allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_gzip_file_cut_before_its_trailer_is_refused()
    {
        byte[] compressed = Gzip(Header(1, 100).Concat(Enumerable.Range(0, 100).Select(i => (byte)(i % 10))).ToArray());
        string labels = Write("labels", compressed.Take(compressed.Length - 8).ToArray());
        string images = Write("images", Header(3, 100, 1, 1).Concat(new byte[100]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.Contains(labels, error.Message);
        Assert.Contains("truncated or damaged", error.Message);
    }

    [Fact]
    public void A_gzip_file_whose_data_was_altered_fails_its_checksum()
    {
        byte[] compressed = Gzip(Header(1, 100).Concat(Enumerable.Range(0, 100).Select(i => (byte)(i % 10))).ToArray());
        compressed[^8] ^= 0xff; // the stored CRC-32: GZipStream or our trailer check must notice
        string labels = Write("labels", compressed);
        string images = Write("images", Header(3, 100, 1, 1).Concat(new byte[100]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.True(error.Message.Contains("CRC-32") || error.Message.Contains("gzip stream is corrupt"), error.Message);
    }

    [Fact]
    public void Extra_inflated_data_after_the_declared_array_is_refused()
    {
        string labels = Write("labels", Header(1, 2).Concat(new byte[5]).ToArray(), gzip: true);
        string images = Write("images", Header(3, 2, 1, 1).Concat(new byte[2]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.Contains("3 unexpected bytes after the 2 data", error.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        string images = Write("images", Header(3, 2, 1, 1).Concat(new byte[2]).ToArray());
        string labels = Write("labels", Header(1, 3).Concat(new byte[3]).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Idx.Load(images, labels));

        Assert.Contains("holds 2 images", error.Message);
        Assert.Contains("holds 3 labels", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string missing = Path.Combine(directory, "nope");
        var error = Assert.Throws<FileNotFoundException>(() => Idx.Load(missing, missing));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_directory_of_standard_files_loads_as_train_and_test()
    {
        Write("train-images-idx3-ubyte", Header(3, 2, 1, 2).Concat(new byte[4]).ToArray(), gzip: true, exactName: true);
        Write("train-labels-idx1-ubyte", Header(1, 2).Concat(new byte[] { 1, 0 }).ToArray(), gzip: true, exactName: true);
        Write("t10k-images.idx3-ubyte", Header(3, 1, 1, 2).Concat(new byte[2]).ToArray(), exactName: true);
        Write("t10k-labels.idx1-ubyte", Header(1, 1).Concat(new byte[] { 1 }).ToArray(), exactName: true);

        var (train, test) = Datasets.FromIdxDirectory(directory);
        using (train)
        using (test)
        {
            Assert.Equal(2, train.Count);
            Assert.Equal(1, test.Count);
        }
    }

    [Fact]
    public void A_directory_missing_a_file_says_what_was_looked_for()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Datasets.FromIdxDirectory(directory));
        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
    }

    private static byte[] Header(int rank, params int[] dimensions)
    {
        var header = new byte[4 + 4 * rank];
        header[2] = 0x08;
        header[3] = (byte)rank;
        for (int i = 0; i < rank; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        }
        return header;
    }

    private string Write(string name, byte[] content, bool gzip = false, bool exactName = false)
    {
        string path = Path.Combine(directory, exactName ? name + (gzip ? ".gz" : "") : $"{name}-{Guid.NewGuid():N}{(gzip ? ".gz" : "")}");
        File.WriteAllBytes(path, gzip ? Gzip(content) : content);
        return path;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return buffer.ToArray();
    }
}
