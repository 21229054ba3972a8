using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

/// <summary>Checkpoints: atomic, resumable to the exact weights of an uninterrupted run, and loud when damaged.</summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly TrainingOptions Options = new() { Epochs = 6, BatchSize = 32, LearningRate = 0.05, Seed = 5 };
    private readonly string directory = Directory.CreateTempSubdirectory("dd-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_run_cancelled_midway_and_resumed_ends_with_the_uninterrupted_weights()
    {
        using var data = SyntheticData.Create(320, seed: 20);
        // Dropout draws from the global generator, so this also checks that its state is restored.
        var uninterrupted = Train(data, Options, initSeed: 1);

        using var cancellation = new CancellationTokenSource();
        var cancelAfterEpoch3 = new SynchronousProgress<TrainingProgress>(p => { if (p.IsEndOfEpoch && p.Epoch == 3) cancellation.Cancel(); });
        var interruptedOptions = Options with { CheckpointDirectory = directory, CancellationToken = cancellation.Token, Progress = cancelAfterEpoch3 };
        Assert.ThrowsAny<OperationCanceledException>(() => Train(data, interruptedOptions, initSeed: 1));
        Assert.Equal(new[] { "checkpoint-000002.ddc", "checkpoint-000003.ddc" }, CheckpointFiles());

        // A new process would start from other random weights: the checkpoint must override them.
        TrainingReport? report = null;
        var resumed = Train(data, Options with { CheckpointDirectory = directory }, initSeed: 999, r => report = r);

        Assert.Equal(3, report!.ResumedAfterEpoch);
        Assert.Equal(Enumerable.Range(1, 6), report.Epochs.Select(e => e.Epoch));
        Assert.All(uninterrupted.Zip(resumed), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
    }

    [Fact]
    public void A_distillation_resumes_too()
    {
        using var data = SyntheticData.Create(320, seed: 21);
        manual_seed(1);
        using var teacher = new ClusterTeacher();
        teacher.Fit(data, Options with { Epochs = 2 });

        var whole = DistillFrom(teacher, data, Options);
        using var cancellation = new CancellationTokenSource();
        var stopAt2 = new SynchronousProgress<TrainingProgress>(p => { if (p.IsEndOfEpoch && p.Epoch == 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DistillFrom(teacher, data, Options with { CheckpointDirectory = directory, CancellationToken = cancellation.Token, Progress = stopAt2 }));
        var resumed = DistillFrom(teacher, data, Options with { CheckpointDirectory = directory });

        Assert.All(whole.Zip(resumed), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
    }

    [Fact]
    public void A_corrupt_checkpoint_is_reported_and_the_previous_one_kept()
    {
        using var data = SyntheticData.Create(128, seed: 22);
        Train(data, Options with { Epochs = 3, CheckpointDirectory = directory }, initSeed: 1);
        string newest = Path.Combine(directory, "checkpoint-000003.ddc");
        string previous = Path.Combine(directory, "checkpoint-000002.ddc");
        byte[] previousBytes = File.ReadAllBytes(previous);
        byte[] damaged = File.ReadAllBytes(newest);
        damaged[damaged.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest, damaged);

        var error = Assert.Throws<InvalidDataException>(() => Train(data, Options with { Epochs = 3, CheckpointDirectory = directory }, initSeed: 1));

        Assert.Contains("checkpoint-000003.ddc is corrupt: checksum mismatch", error.Message);
        Assert.Contains("checkpoint-000002.ddc is intact", error.Message);
        Assert.Equal(previousBytes, File.ReadAllBytes(previous));

        // Deleting the damaged file, as the message says, resumes from the previous checkpoint.
        File.Delete(newest);
        TrainingReport? report = null;
        Train(data, Options with { Epochs = 3, CheckpointDirectory = directory }, initSeed: 1, r => report = r);
        Assert.Equal(2, report!.ResumedAfterEpoch);
    }

    [Fact]
    public void A_truncated_checkpoint_says_so()
    {
        using var data = SyntheticData.Create(64, seed: 23);
        Train(data, Options with { Epochs = 1, CheckpointDirectory = directory }, initSeed: 1);
        string file = Path.Combine(directory, "checkpoint-000001.ddc");
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..200]);

        var error = Assert.Throws<InvalidDataException>(() => Train(data, Options with { Epochs = 1, CheckpointDirectory = directory }, initSeed: 1));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("no intact earlier checkpoint", error.Message);
    }

    [Fact]
    public void A_half_written_file_from_a_crash_is_ignored()
    {
        using var data = SyntheticData.Create(64, seed: 24);
        File.WriteAllBytes(Path.Combine(directory, "checkpoint-000001.ddc.tmp"), new byte[] { 1, 2, 3 });

        TrainingReport? report = null;
        Train(data, Options with { Epochs = 1, CheckpointDirectory = directory }, initSeed: 1, r => report = r);

        Assert.Equal(0, report!.ResumedAfterEpoch);
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused()
    {
        using var data = SyntheticData.Create(64, seed: 25);
        Train(data, Options with { Epochs = 2, CheckpointDirectory = directory }, initSeed: 1);

        var error = Assert.Throws<InvalidOperationException>(() =>
            Train(data, Options with { Epochs = 2, LearningRate = 0.1, CheckpointDirectory = directory }, initSeed: 1));

        Assert.Contains("belongs to a different training run", error.Message);
        Assert.Contains("LR 0.05", error.Message);
        Assert.Contains("LR 0.1", error.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void A_checkpoint_in_an_earlier_format_is_still_read(int version)
    {
        using var data = SyntheticData.Create(320, seed: 22);
        var uninterrupted = Train(data, Options, initSeed: 1);
        using var cancellation = new CancellationTokenSource();
        var cancelAfterEpoch3 = new SynchronousProgress<TrainingProgress>(p => { if (p.IsEndOfEpoch && p.Epoch == 3) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Train(data, Options with { CheckpointDirectory = directory, CancellationToken = cancellation.Token, Progress = cancelAfterEpoch3 }, initSeed: 1));
        string newest = Path.Combine(directory, "checkpoint-000003.ddc");
        File.WriteAllBytes(newest, AsVersion(File.ReadAllBytes(newest), version));

        TrainingReport? report = null;
        var resumed = Train(data, Options with { CheckpointDirectory = directory }, initSeed: 999, r => report = r);

        Assert.Equal(3, report!.ResumedAfterEpoch);
        Assert.All(report.Epochs.Take(3), e => Assert.NotNull(e.HardTerm)); // read from the older file
        Assert.All(uninterrupted.Zip(resumed), pair => Assert.True(SyntheticData.Same(pair.First, pair.Second)));
    }

    /// <summary>
    /// A DDCKPT05 checkpoint taken at an epoch's end, rewritten as an earlier version wrote it: without the count of the
    /// next epoch's batches done (DDCKPT04); before that, each epoch's soft and hard terms by position (NaN when absent)
    /// instead of its terms by name, and in DDCKPT03 then the hint terms; under the old magic, length and checksum.
    /// </summary>
    internal static byte[] AsVersion(byte[] file, int version)
    {
        const int Header = 8 + 8;
        Assert.Equal("DDCKPT05", System.Text.Encoding.ASCII.GetString(file, 0, 8));
        var payload = new MemoryStream(file, Header, file.Length - Header - 32);
        var reader = new BinaryReader(payload, System.Text.Encoding.UTF8);
        var rewritten = new MemoryStream();
        var writer = new BinaryWriter(rewritten, System.Text.Encoding.UTF8);
        writer.Write(reader.ReadString());        // fingerprint
        writer.Write(reader.ReadInt32());         // epochs completed
        int epochs = reader.ReadInt32();
        writer.Write(epochs);
        for (int i = 0; i < epochs; i++)
        {
            writer.Write(reader.ReadInt32());      // epoch
            writer.Write(reader.ReadDouble());     // loss
            writer.Write(reader.ReadInt64());      // duration
            writer.Write(reader.ReadDouble());     // samples/s
            var terms = Enumerable.Range(0, reader.ReadInt32()).Select(_ => (Name: reader.ReadString(), Value: reader.ReadDouble())).ToList();
            if (version == 4)
            {
                writer.Write(terms.Count);
                terms.ForEach(t => { writer.Write(t.Name); writer.Write(t.Value); });
                continue;
            }
            writer.Write(terms.Where(t => t.Name == "soft").Select(t => t.Value).DefaultIfEmpty(double.NaN).First());
            writer.Write(terms.Where(t => t.Name == "hard").Select(t => t.Value).DefaultIfEmpty(double.NaN).First());
            var hints = terms.Where(t => t.Name.StartsWith("hint(", StringComparison.Ordinal)).ToList();
            Assert.True(version >= 3 || hints.Count == 0, "DDCKPT02 has no hint terms");
            if (version >= 3)
            {
                writer.Write(hints.Count);
                hints.ForEach(h => writer.Write(h.Value));
            }
        }
        Assert.Equal(0, reader.ReadInt32()); // batches of the next epoch done: none at an epoch's end, and no such field before DDCKPT05
        writer.Flush();
        payload.CopyTo(rewritten);
        byte[] body = rewritten.ToArray();
        return System.Text.Encoding.ASCII.GetBytes("DDCKPT0" + version)
            .Concat(BitConverter.GetBytes((long)body.Length))
            .Concat(body)
            .Concat(System.Security.Cryptography.SHA256.HashData(body))
            .ToArray();
    }

    private List<string> CheckpointFiles() =>
        Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    private static List<Tensor> Train(LabeledDataset data, TrainingOptions options, int initSeed, Action<TrainingReport>? report = null)
    {
        manual_seed(initSeed);
        using var network = new DropoutTeacher();
        var result = network.Fit(data, options);
        report?.Invoke(result);
        return network.parameters().Select(p => p.detach().clone()).ToList();
    }

    private static List<Tensor> DistillFrom(ClusterTeacher teacher, LabeledDataset data, TrainingOptions options)
    {
        manual_seed(7);
        using var student = new ClusterStudent();
        student.Distill(teacher, data, options);
        return student.parameters().Select(p => p.detach().clone()).ToList();
    }
}
