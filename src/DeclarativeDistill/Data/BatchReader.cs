using System;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// The batches of one pass over a source that is not in memory, read ahead of the training thread by background workers:
/// while a batch trains, the next ones are read and decoded. At most as many batches as fit in the read-ahead budget are
/// held at once (read or being read), so memory stays bounded however large the data. Batches come out in the order of
/// the pass, whatever order the workers finish in, so a run is the same as with the data in memory. A read that fails
/// (a damaged file) fails the batch that needed it, with the reader's message.
/// </summary>
internal sealed class BatchReader : IDisposable
{
    private readonly DataSource data;
    private readonly long[] order;
    private readonly int batchSize;
    private readonly int batches;
    private readonly Task<(float[] Features, long[] Labels)>?[] reads;
    private readonly SemaphoreSlim slots;
    private readonly SemaphoreSlim workers;
    private readonly CancellationTokenSource stop = new();
    private int scheduled;

    /// <param name="data">The source.</param>
    /// <param name="order">The examples of the pass, in order.</param>
    /// <param name="batchSize">Examples per batch; the last batch takes the rest (<paramref name="batches"/> says how many).</param>
    /// <param name="batches">Batches in the pass.</param>
    /// <param name="workers">Batches read at once.</param>
    /// <param name="budgetBytes">Memory that batches read ahead may take; at least one batch is always read ahead.</param>
    /// <param name="firstBatch">The first batch read (from 0): a pass resumed within an epoch starts later.</param>
    public BatchReader(DataSource data, long[] order, int batchSize, int batches, int workers, long budgetBytes, int firstBatch = 0)
    {
        this.data = data;
        this.order = order;
        this.batchSize = batchSize;
        this.batches = batches;
        reads = new Task<(float[], long[])>?[batches];
        long batchBytes = (long)batchSize * (data.FeatureSize * sizeof(float) + sizeof(long));
        int ahead = (int)Math.Clamp(budgetBytes / Math.Max(1, batchBytes), 1, Math.Max(1, batches));
        Ahead = ahead;
        slots = new SemaphoreSlim(ahead, ahead);
        this.workers = new SemaphoreSlim(Math.Max(1, workers));
        scheduled = firstBatch;
        Schedule();
    }

    /// <summary>How many batches may be held at once.</summary>
    public int Ahead { get; }

    /// <summary>The features <c>[B, ...shape]</c> and labels of batch <paramref name="batch"/> (from 0), on the CPU; waits for its read.</summary>
    public (Tensor Features, Tensor? Labels, long[] Indices) Take(int batch)
    {
        var read = reads[batch] ?? throw new InvalidOperationException($"Batch {batch} was not scheduled.");
        int size = Size(batch);
        Tensor? features = null;
        Tensor? labels = null;
        try
        {
            var (values, labelValues) = read.GetAwaiter().GetResult();
            try
            {
                // Copied into native tensors, so that the pooled buffers go back at once and the managed heap stays flat.
                features = empty(data.Shape.BatchShape(size));
                features.bytes = MemoryMarshal.AsBytes(values.AsSpan(0, size * data.FeatureSize));
                if (data.HasLabels)
                {
                    labels = empty(size, dtype: ScalarType.Int64);
                    labels.bytes = MemoryMarshal.AsBytes(labelValues.AsSpan(0, size));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
                ArrayPool<long>.Shared.Return(labelValues);
            }
        }
        finally
        {
            reads[batch] = null;
            slots.Release();
            Schedule();
        }
        var indices = order.AsSpan(batch * batchSize, size).ToArray();
        return (features, labels, indices);
    }

    /// <summary>Starts reads while there are free slots (from the training thread, and after each batch taken).</summary>
    private void Schedule()
    {
        while (scheduled < batches && slots.Wait(0))
        {
            int batch = scheduled++;
            reads[batch] = Task.Run(() => Read(batch), stop.Token);
        }
    }

    private async Task<(float[], long[])> Read(int batch)
    {
        await workers.WaitAsync(stop.Token).ConfigureAwait(false);
        try
        {
            int size = Size(batch);
            var features = ArrayPool<float>.Shared.Rent(checked(size * data.FeatureSize));
            var labels = ArrayPool<long>.Shared.Rent(data.HasLabels ? size : 0);
            try
            {
                data.Read(order.AsSpan(batch * batchSize, size), features.AsSpan(0, size * data.FeatureSize), labels.AsSpan(0, data.HasLabels ? size : 0));
            }
            catch
            {
                ArrayPool<float>.Shared.Return(features);
                ArrayPool<long>.Shared.Return(labels);
                throw;
            }
            return (features, labels);
        }
        finally
        {
            workers.Release();
        }
    }

    private int Size(int batch) => batch == batches - 1 ? order.Length - batch * batchSize : batchSize;

    /// <summary>Stops reads not yet started and waits for those under way, so that nothing reads the source afterwards.</summary>
    public void Dispose()
    {
        stop.Cancel();
        foreach (var read in reads)
        {
            try
            {
                read?.Wait();
            }
            catch (AggregateException)
            {
                // A read that failed or was cancelled: the pass is over anyway.
            }
        }
        stop.Dispose();
        slots.Dispose();
        workers.Dispose();
    }
}
