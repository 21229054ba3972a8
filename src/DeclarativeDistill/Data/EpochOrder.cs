using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// The order of an epoch's examples, drawn from the run's seeded generator (so a resumed run draws the same orders). A
/// source read in blocks (<see cref="DataSource.BlockSize"/>: a Parquet row group, say) is shuffled block-wise: the
/// blocks in a random order, then the examples of every few consecutive blocks shuffled together, so that a batch
/// touches few blocks while every example still moves.
/// </summary>
internal static class EpochOrder
{
    /// <summary>Blocks whose examples are shuffled together.</summary>
    public const int BlocksPerWindow = 4;

    /// <summary>A permutation of <c>[0, count)</c>, int64.</summary>
    public static Tensor Draw(int count, int blockSize, Generator generator)
    {
        if (blockSize <= 1 || blockSize >= count)
        {
            return randperm(count, generator: generator);
        }
        int blocks = (count + blockSize - 1) / blockSize;
        using var blockOrder = randperm(blocks, generator: generator);
        long[] order = blockOrder.data<long>().ToArray();
        var result = new List<long>(count);
        for (int first = 0; first < blocks; first += BlocksPerWindow)
        {
            var window = new List<long>();
            for (int b = first; b < Math.Min(first + BlocksPerWindow, blocks); b++)
            {
                long start = order[b] * blockSize;
                for (long i = start; i < Math.Min(start + blockSize, count); i++)
                {
                    window.Add(i);
                }
            }
            using var shuffle = randperm(window.Count, generator: generator);
            foreach (long position in shuffle.data<long>().ToArray())
            {
                result.Add(window[(int)position]);
            }
        }
        return tensor(result.ToArray());
    }
}
