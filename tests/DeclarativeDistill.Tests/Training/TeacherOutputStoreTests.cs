using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Data;
using DeclarativeDistill.Tests.Declarations;
using DeclarativeDistill.Tests.Declarations.Hinted;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

/// <summary>
/// Teacher outputs written as shards by separate processes (as a job array would) train the same student as outputs
/// cached in memory; an incomplete, damaged or foreign store is refused, naming the shard.
/// </summary>
public sealed class TeacherOutputStoreTests
{
    private const int Examples = 150;
    private const int DataSeed = 91;

    [Fact]
    public void Shards_written_by_three_processes_distil_the_student_of_the_in_memory_cache()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(Examples, DataSeed);
        using var teacher = TrainedTeacher(data, folder.File("teacher.bin"));
        string store = folder.File("store");

        var writers = Enumerable.Range(0, 3).Select(shard => WriteShard(folder.File("teacher.bin"), store, shard, 3)).ToList();
        foreach (var writer in writers)
        {
            Assert.True(writer.WaitForExit(120_000), "a shard writer did not finish");
            Assert.True(writer.ExitCode == 0, $"a shard writer failed: {writer.StandardError.ReadToEnd()}");
        }
        Assert.Equal(3, Directory.GetFiles(store, "*.ddto").Length);
        Assert.Empty(Directory.GetFiles(store, "*.tmp"));

        using var outputs = TeacherOutputStore.Open(store, data, new[] { teacher });
        Assert.Equal(Examples, outputs.Count);
        var (cachedLosses, cachedWeights) = Distil(teacher, data, null);
        var (storedLosses, storedWeights) = Distil(teacher, data, outputs);

        Assert.All(cachedLosses.Zip(storedLosses), p => SyntheticData.AssertClose(p.First, p.Second, 1e-5, "epoch loss"));
        Assert.All(cachedWeights.Zip(storedWeights), p => Assert.True(p.First.allclose(p.Second, rtol: 1e-4, atol: 1e-5)));
    }

    [Fact]
    public void A_missing_truncated_damaged_or_foreign_shard_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(Examples, DataSeed);
        using var teacher = TrainedTeacher(data, folder.File("teacher.bin"));
        string store = folder.File("store");
        for (int shard = 0; shard < 3; shard++)
        {
            TeacherOutputStore.WriteShard(store, data, new[] { teacher }, shard, 3);
        }
        string second = Path.Combine(store, "shard-00001-of-00003.ddto");
        byte[] original = File.ReadAllBytes(second);

        File.Move(second, second + ".away");
        Assert.Contains("lacks shard 1 of 3", Refusal(store, data, teacher));
        File.Move(second + ".away", second);

        File.WriteAllBytes(second, original[..^5]);
        Assert.Contains($"{second} is {original.Length - 5:N0} bytes", Refusal(store, data, teacher));

        var flipped = (byte[])original.Clone();
        flipped[^3] ^= 0x40;
        File.WriteAllBytes(second, flipped);
        Assert.Contains($"{second}: the data does not match the hash", Refusal(store, data, teacher));
        File.WriteAllBytes(second, original);

        using var otherData = SyntheticData.Create(Examples, DataSeed + 1);
        string foreign = Refusal(store, otherData, teacher);
        Assert.Contains("was computed from other teachers or another transfer set", foreign);
        Assert.Contains("data", foreign);

        manual_seed(5);
        using var otherTeacher = new ClusterTeacher();
        Assert.Contains("teacher0", Refusal(store, data, otherTeacher));

        using (var complete = TeacherOutputStore.Open(store, data, new[] { teacher }))
        {
            Assert.Equal(Examples, complete.Count);
        }
    }

    [Fact]
    public void A_store_without_the_layers_a_hint_reads_is_refused_and_one_with_them_serves()
    {
        using var folder = new TempFolder();
        using var images = SyntheticData.Images(40, seed: 92);
        manual_seed(93);
        using var teacher = new HintTeacher();
        teacher.Fit(images, new TrainingOptions { Epochs = 1, BatchSize = 8 });

        string logitsOnly = folder.File("logits");
        TeacherOutputStore.WriteShard(logitsOnly, images, new[] { teacher }, 0, 1);
        using (var store = TeacherOutputStore.Open(logitsOnly, images, new[] { teacher }))
        using (var student = new GuidedStudent())
        {
            var error = Assert.Throws<ArgumentException>(() =>
                student.Distill(teacher, images, new TrainingOptions { Epochs = 1, BatchSize = 8, TeacherOutputs = store }));
            Assert.Contains("lacks teacher 0 layer", error.Message);
        }

        string withLayers = folder.File("layers");
        var layers = GuidedStudent.Objective.AllTerms.SelectMany(t => t.TeacherLayers).Distinct().ToArray();
        TeacherOutputStore.WriteShard(withLayers, images, new[] { teacher }, 0, 2, layers);
        TeacherOutputStore.WriteShard(withLayers, images, new[] { teacher }, 1, 2, layers);
        using (var store = TeacherOutputStore.Open(withLayers, images, new[] { teacher }))
        {
            double[] Run(TeacherOutputStore? outputs)
            {
                manual_seed(94);
                using var student = new GuidedStudent();
                return student.Distill(teacher, images, new TrainingOptions { Epochs = 2, BatchSize = 8, TeacherOutputs = outputs })
                    .Epochs.Select(e => e.Loss).ToArray();
            }
            Assert.All(Run(null).Zip(Run(store)), p => SyntheticData.AssertClose(p.First, p.Second, 1e-4, "epoch loss"));
        }
    }

    private static ClusterTeacher TrainedTeacher(LabeledDataset data, string path)
    {
        manual_seed(95);
        var teacher = new ClusterTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16 });
        teacher.Save(path);
        return teacher;
    }

    private static (double[] Losses, Tensor[] Weights) Distil(ClusterTeacher teacher, LabeledDataset data, TeacherOutputStore? store)
    {
        manual_seed(96);
        var student = new ClusterStudent();
        var losses = student.Distill(teacher, data, new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 97, TeacherOutputs = store })
            .Epochs.Select(e => e.Loss).ToArray();
        return (losses, student.parameters().Select(p => p.detach().clone()).ToArray());
    }

    private static string Refusal(string store, LabeledDataset data, ClusterTeacher teacher) =>
        Assert.Throws<InvalidDataException>(() => TeacherOutputStore.Open(store, data, new[] { teacher })).Message;

    private static Process WriteShard(string weights, string store, int shard, int shards)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { typeof(Program).Assembly.Location, "write-shard", weights, store, $"{shard}", $"{shards}", $"{Examples}", $"{DataSeed}" })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }
}
