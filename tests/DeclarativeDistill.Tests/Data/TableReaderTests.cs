using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DeclarativeDistill.Tests.Declarations;
using Parquet;
using Parquet.Schema;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>
/// CSV and Parquet tables: the same examples as the tensors they were written from (so the same training), labels as
/// classes (integers, or names in order), and every fault named at its file, line or row, and column.
/// </summary>
public sealed class TableReaderTests
{
    private static readonly string[] Species = { "setosa", "versicolor", "virginica", "zebra" };

    [Fact]
    public void A_csv_of_a_dataset_gives_its_values_labels_and_training()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(80, seed: 61);
        string path = folder.Write("clusters.csv", Csv(data, ',', names: true));

        using var read = Datasets.FromCsv(path, new CsvOptions { Label = "label" });

        Assert.True(SyntheticData.Same(data.Features, read.Features));
        Assert.True(SyntheticData.Same(data.Labels, read.Labels));
        Assert.Equal(Species, read.ClassNames);
        Assert.Equal(4, read.ClassCount);
        Assert.Equal(Losses(data), Losses(read));
    }

    [Fact]
    public void Integer_labels_are_class_indices_and_a_tsv_without_header_names_columns_by_position()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(20, seed: 62);
        var text = new StringBuilder();
        for (int i = 0; i < data.Count; i++)
        {
            text.Append(data.Labels[i].item<long>()).Append('\t');
            text.AppendLine(string.Join('\t', Row(data, i)));
        }
        string path = folder.Write("clusters.tsv", text.ToString());

        using var read = Datasets.FromCsv(path, new CsvOptions { HasHeader = false, Label = "0" });

        Assert.True(SyntheticData.Same(data.Features, read.Features));
        Assert.True(SyntheticData.Same(data.Labels, read.Labels));
        Assert.Null(read.ClassNames);
    }

    [Fact]
    public void Chosen_feature_columns_in_their_order_quoted_fields_fixed_class_order_and_an_image_shape()
    {
        using var folder = new TempFolder();
        string path = folder.Write("pixels.csv",
            "id,\"name, quoted\",p3,p1,p2,p0,kind\n" +
            "7,\"a, b\",3,1,2,0,cat\n" +
            "8,\"c\",13,11,12,10,dog\n" +
            "\n");

        using var read = Datasets.FromCsv(path, new CsvOptions
        {
            Label = "kind",
            Features = new[] { "p0", "p1", "p2", "p3" },
            ClassNames = new[] { "dog", "cat" },
            Shape = "1x2x2",
        });

        Assert.Equal(new long[] { 2, 1, 2, 2 }, read.Features.shape);
        Assert.Equal(new float[] { 0, 1, 2, 3, 10, 11, 12, 13 }, read.Features.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 0 }, read.Labels.data<long>().ToArray());
        Assert.Equal(new[] { "dog", "cat" }, read.ClassNames);
    }

    [Fact]
    public void A_csv_saved_by_a_spreadsheet_with_a_byte_order_mark_crlf_lines_and_spaces_reads_the_same()
    {
        using var folder = new TempFolder();
        string path = folder.File("excel.csv");
        File.WriteAllText(path, "label , a,b\r\ncat, 1.5 ,2\r\ndog,3, 4e-1\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        using var read = Datasets.FromCsv(path, new CsvOptions { Label = "label" });
        Assert.Equal(new float[] { 1.5f, 2f, 3f, 0.4f }, read.Features.data<float>().ToArray());
        Assert.Equal(new[] { "cat", "dog" }, read.ClassNames);
    }

    [Fact]
    public void A_csv_without_a_label_column_is_a_transfer_set()
    {
        using var folder = new TempFolder();
        string path = folder.Write("unlabelled.csv", "a;b\n1;2\n3;4\n");
        using var read = Datasets.FromCsv(path);
        Assert.False(read.HasLabels);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, read.Features.data<float>().ToArray());
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n3,x,1\n", "bad.csv, line 3, column 'b': 'x' is not a number.")]
    [InlineData("a,b,y\n1,2,0\n3,,1\n", "bad.csv, line 3, column 'b': '' is not a number (the field is empty).")]
    [InlineData("a,b,y\n1,2,0\n3,4\n", "bad.csv, line 3: 2 columns where the header has 3.")]
    [InlineData("a,b,y\n1,NaN,0\n", "bad.csv, line 2, column 'b': 'NaN' is not a finite number.")]
    [InlineData("a,b,y\n1,1e39,0\n", "bad.csv, line 2, column 'b': '1e39' is not a finite number.")]
    [InlineData("a,b,label\n1,2,0\n", "bad.csv has no label column 'y'; its columns are 'a', 'b', 'label'.")]
    [InlineData("a,b,y\n", "bad.csv has no rows.")]
    [InlineData("a,b,y\n1,2,-1\n", "bad.csv, line 2, column 'y': label -1 is not a class index (0, 1, 2, ...).")]
    [InlineData("a,a,y\n1,2,0\n", "bad.csv: the column name 'a' appears twice (columns 1 and 2).")]
    public void A_faulty_csv_is_refused_naming_the_line_and_column(string text, string message)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.csv", text);
        var error = Assert.Throws<InvalidDataException>(() => Datasets.FromCsv(path, new CsvOptions { Label = "y" }));
        Assert.Equal(Path.Combine(folder.Path, message), error.Message);
    }

    [Fact]
    public void A_label_outside_the_named_classes_and_a_missing_or_empty_file_are_refused()
    {
        using var folder = new TempFolder();
        string path = folder.Write("classes.csv", "a,y\n1,cat\n2,cow\n");
        var error = Assert.Throws<InvalidDataException>(() =>
            Datasets.FromCsv(path, new CsvOptions { Label = "y", ClassNames = new[] { "cat", "dog" } }));
        Assert.Equal($"{path}, line 3, column 'y': 'cow' is not one of the classes cat, dog.", error.Message);

        Assert.Throws<FileNotFoundException>(() => Datasets.FromCsv(folder.File("missing.csv")));
        string empty = folder.Write("empty.csv", "");
        Assert.Equal($"{empty} is empty.", Assert.Throws<InvalidDataException>(() => Datasets.FromCsv(empty)).Message);
    }

    [Fact]
    public void A_parquet_file_of_row_groups_gives_the_values_labels_and_training_of_its_tensors()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(90, seed: 63);
        string path = folder.File("clusters.parquet");
        WriteParquet(path, data, rowGroups: 3);

        using var read = Datasets.FromParquet(path, new TableOptions { Label = "label" });

        Assert.True(SyntheticData.Same(data.Features, read.Features));
        Assert.True(SyntheticData.Same(data.Labels, read.Labels));
        Assert.Equal(Species, read.ClassNames);
        Assert.Equal(Losses(data), Losses(read));
    }

    [Fact]
    public void A_parquet_file_on_disk_streams_by_row_group_as_it_trains_in_memory()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(120, seed: 66);
        string path = folder.File("clusters.parquet");
        WriteParquet(path, data, rowGroups: 4);

        using var onDisk = Datasets.OpenParquet(path, new TableOptions { Label = "label" });
        using var inMemory = Datasets.FromParquet(path, new TableOptions { Label = "label" });
        Assert.Equal(30, onDisk.BlockSize);
        Assert.Equal(Species, onDisk.ClassNames);
        using (var read = onDisk.ToMemory())
        {
            Assert.True(SyntheticData.Same(inMemory.Features, read.Features));
            Assert.True(SyntheticData.Same(inMemory.Labels, read.Labels));
        }
        // Row groups are its blocks: its epochs are shuffled block-wise, so the losses are not the in-memory run's,
        // but it learns as well.
        var streamed = Losses(onDisk);
        var memory = Losses(inMemory);
        Assert.True(streamed[^1] < streamed[0] && Math.Abs(streamed[^1] - memory[^1]) < 0.2 * memory[^1], $"{string.Join(", ", streamed)} against {string.Join(", ", memory)}");
        var (train, test) = onDisk.Split(test: 0.25, seed: 4);
        using (train)
        using (test)
        {
            Assert.Equal(90, train.Count);
        }
    }

    [Fact]
    public void A_faulty_parquet_file_is_refused_naming_the_row_and_column()
    {
        using var folder = new TempFolder();
        string nulls = folder.File("nulls.parquet");
        Write(nulls, new DataField<double?>("x"), new double?[] { 1, 2, null, 4 }, new DataField<long>("y"), new long[] { 0, 1, 0, 1 });
        Assert.Equal($"{nulls}, row 3, column 'x': the value is missing (null).",
            Assert.Throws<InvalidDataException>(() => Datasets.FromParquet(nulls, new TableOptions { Label = "y" })).Message);

        string text = folder.File("text.parquet");
        Write(text, new DataField<string>("x"), new[] { "a", "b" }, new DataField<long>("y"), new long[] { 0, 1 });
        Assert.Equal($"{text}: the feature column 'x' holds text, not numbers; leave it out with TableOptions.Features.",
            Assert.Throws<InvalidDataException>(() => Datasets.FromParquet(text, new TableOptions { Label = "y" })).Message);

        Assert.Equal($"{text} has no label column 'label'; its columns are 'x', 'y'.",
            Assert.Throws<InvalidDataException>(() => Datasets.FromParquet(text, new TableOptions { Label = "label" })).Message);

        string csv = folder.Write("not.parquet", "a,b\n1,2\n");
        Assert.StartsWith($"{csv} is not a readable Parquet file",
            Assert.Throws<InvalidDataException>(() => Datasets.FromParquet(csv)).Message);
    }

    private static double[] Losses(DataSource data)
    {
        manual_seed(64);
        using var model = new ClusterTeacher();
        return model.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 65 }).Epochs.Select(e => e.Loss).ToArray();
    }

    private static string[] Row(LabeledDataset data, int i) =>
        data.Features[i].data<float>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();

    private static string Csv(LabeledDataset data, char separator, bool names)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(separator, Enumerable.Range(0, data.FeatureSize).Select(i => $"f{i}").Append("label")));
        for (int i = 0; i < data.Count; i++)
        {
            long label = data.Labels[i].item<long>();
            text.AppendLine(string.Join(separator, Row(data, i).Append(names ? Species[label] : label.ToString(CultureInfo.InvariantCulture))));
        }
        return text.ToString();
    }

    private static void WriteParquet(string path, LabeledDataset data, int rowGroups)
    {
        var fields = Enumerable.Range(0, data.FeatureSize).Select(i => new DataField<float>($"f{i}")).ToArray();
        var label = new DataField<string>("label");
        var features = data.Features.data<float>().ToArray();
        var labels = data.Labels.data<long>().ToArray();
        Task.Run(async () =>
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields.Cast<Field>().Append(label)), stream);
            int per = data.Count / rowGroups;
            for (int g = 0; g < rowGroups; g++)
            {
                using var group = writer.CreateRowGroup();
                var rows = Enumerable.Range(g * per, g == rowGroups - 1 ? data.Count - g * per : per).ToArray();
                for (int f = 0; f < fields.Length; f++)
                {
                    await group.WriteAsync<float>(fields[f], rows.Select(r => features[r * data.FeatureSize + f]).ToArray().AsMemory());
                }
                await group.WriteAsync(label, rows.Select(r => Species[labels[r]]).ToArray());
            }
        }).GetAwaiter().GetResult();
    }

    private static void Write<TX, TY>(string path, DataField x, TX[] xs, DataField y, TY[] ys)
    {
        Task.Run(async () =>
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(x, y), stream);
            using var group = writer.CreateRowGroup();
            await WriteColumn(group, x, xs);
            await WriteColumn(group, y, ys);
        }).GetAwaiter().GetResult();
    }

    private static async Task WriteColumn<T>(ParquetRowGroupWriter group, DataField field, T[] values)
    {
        switch (values)
        {
            case string[] texts: await group.WriteAsync(field, texts); break;
            case double?[] doubles: await group.WriteAsync<double>(field, doubles.AsMemory()); break;
            case long[] longs: await group.WriteAsync<long>(field, longs.AsMemory()); break;
            default: throw new NotSupportedException(typeof(T).Name);
        }
    }
}
