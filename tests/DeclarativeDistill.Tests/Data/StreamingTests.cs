using System;
using System.IO;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>
/// Data that is not in memory streams: batches read ahead by background workers within the memory budget, in the order
/// of the seeded permutation (block-wise for sources read in blocks), a failed read failing its batch, and a cancelled
/// run resuming to the weights of an uninterrupted one.
/// </summary>
public sealed class StreamingTests
{
    [Fact]
    public void The_reader_holds_no_more_batches_than_the_budget_allows_and_gives_them_in_order()
    {
        using var data = SyntheticData.Create(200, seed: 101);
        using var source = new ReadByIndex(data);
        long batchBytes = 10L * (data.FeatureSize * sizeof(float) + sizeof(long));
        var order = Enumerable.Range(0, 200).Select(i => (long)(199 - i)).ToArray();
        using var reader = new BatchReader(source, order, batchSize: 10, batches: 20, workers: 2, budgetBytes: 3 * batchBytes);
        Assert.Equal(3, reader.Ahead);
        for (int batch = 0; batch < 20; batch++)
        {
            Thread.Sleep(5); // let the workers run ahead as far as they may
            Assert.True(source.Reads - batch <= reader.Ahead, $"{source.Reads} batches started before batch {batch} was taken");
            var (features, labels, indices) = reader.Take(batch);
            using (features)
            using (labels)
            {
                using var expected = data.Features.index_select(0, tensor(indices));
                Assert.True(SyntheticData.Same(expected, features));
                Assert.Equal(order.Skip(batch * 10).Take(10), indices);
            }
        }
    }

    [Fact]
    public void A_block_wise_epoch_order_is_a_permutation_that_keeps_batches_within_few_blocks()
    {
        using var generator = new Generator(7);
        using var order = EpochOrder.Draw(1000, blockSize: 50, generator);
        long[] values = order.data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), values.OrderBy(v => v));
        for (int window = 0; window < 1000; window += 50 * EpochOrder.BlocksPerWindow)
        {
            int blocks = values.Skip(window).Take(50 * EpochOrder.BlocksPerWindow).Select(v => v / 50).Distinct().Count();
            Assert.Equal(EpochOrder.BlocksPerWindow, blocks);
        }
        Assert.NotEqual(values.Take(50), Enumerable.Range(0, 50).Select(i => (long)i)); // examples move within their window
    }

    [Fact]
    public void A_failed_read_fails_training_with_the_readers_message()
    {
        using var data = SyntheticData.Create(64, seed: 102);
        using var source = new ReadByIndex(data) { FailAt = 37 };
        using var model = new ClusterTeacher();
        var error = Assert.Throws<InvalidDataException>(() => model.Fit(source, new TrainingOptions { Epochs = 2, BatchSize = 8 }));
        Assert.Equal("example 37 cannot be read", error.Message);
    }

    [Fact]
    public void A_streamed_run_cancelled_midway_resumes_to_the_uninterrupted_weights()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(96, seed: 103);
        using var source = new ReadByIndex(data);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 104, MemoryBudgetBytes = 2048, DataWorkers = 2 };

        manual_seed(105);
        using var uninterrupted = new ClusterTeacher();
        uninterrupted.Fit(source, options);

        using var cancellation = new CancellationTokenSource();
        var stop = new Progress(p => { if (p.IsEndOfEpoch && p.Epoch == 2) cancellation.Cancel(); });
        var checkpointed = options with { CheckpointDirectory = folder.File("checkpoints") };
        manual_seed(105);
        using (var interrupted = new ClusterTeacher())
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                interrupted.Fit(source, checkpointed with { CancellationToken = cancellation.Token, Progress = stop }));
        }
        manual_seed(106); // other initial weights: the checkpoint must replace them
        using var resumed = new ClusterTeacher();
        var report = resumed.Fit(source, checkpointed);

        Assert.Equal(2, report.ResumedAfterEpoch);
        Assert.All(uninterrupted.parameters().Zip(resumed.parameters()), p => Assert.True(SyntheticData.Same(p.First, p.Second)));
    }

    [Fact]
    public void A_run_killed_within_an_epoch_resumes_at_the_exact_batch_to_the_uninterrupted_weights_and_losses()
    {
        using var folder = new TempFolder();
        using var data = SyntheticData.Create(160, seed: 107);
        using var source = new ReadByIndex(data);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 108, Schedule = LearningRateSchedule.Cosine };

        manual_seed(109);
        using var uninterrupted = new DropoutTeacher(); // dropout: the global generator must resume where it was
        var expected = uninterrupted.Fit(source, options);

        using var cancellation = new CancellationTokenSource();
        var stop = new Progress(p => { if (p.Epoch == 2 && p.Batch == 7) cancellation.Cancel(); });
        var checkpointed = options with { CheckpointDirectory = folder.File("checkpoints"), CheckpointEveryBatches = 3 };
        manual_seed(109);
        using (var interrupted = new DropoutTeacher())
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                interrupted.Fit(source, checkpointed with { CancellationToken = cancellation.Token, Progress = stop, ProgressIntervalBatches = 1 }));
        }
        var files = Directory.GetFiles(folder.File("checkpoints")).Select(Path.GetFileName).OrderBy(f => f).ToArray();
        Assert.Equal(new[] { "checkpoint-000001-0000003.ddc", "checkpoint-000001-0000006.ddc" }, files); // the newest two

        manual_seed(110);
        using var resumed = new DropoutTeacher();
        var report = resumed.Fit(source, checkpointed);

        Assert.Equal(1, report.ResumedAfterEpoch);
        Assert.Equal(expected.Epochs.Select(e => e.Loss), report.Epochs.Select(e => e.Loss));
        Assert.All(uninterrupted.parameters().Zip(resumed.parameters()), p => Assert.True(SyntheticData.Same(p.First, p.Second)));
    }

    /// <summary>Progress reported on the training thread, so that cancelling takes effect at once.</summary>
    private sealed class Progress : IProgress<TrainingProgress>
    {
        private readonly Action<TrainingProgress> report;

        public Progress(Action<TrainingProgress> report) => this.report = report;

        public void Report(TrainingProgress value) => report(value);
    }
}
