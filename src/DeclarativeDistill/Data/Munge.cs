using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// MUNGE (Bucilă, Caruana and Niculescu-Mizil 2006, "Model compression"): synthetic examples near the real
/// ones, for a transfer set larger than the labelled data. The teachers label them, so the result has no labels.
/// <para>
/// Each pass copies the data; for every example e (in order) with its nearest neighbour e' (Euclidean, found
/// in the pass's starting copy), each feature a is, with probability <see cref="MungeOptions.SwapProbability"/>,
/// redrawn for both: e_a ~ N(e'_a, sd) and e'_a ~ N(e_a, sd), with sd = |e_a − e'_a| / <see cref="MungeOptions.Spread"/>.
/// The paper searches for the neighbour in the copy as it changes; finding it once per pass lets the search
/// run as one batched distance computation, and changes which neighbour is used only for examples that an
/// earlier swap in the same pass already moved.
/// </para>
/// </summary>
public static class Munge
{
    private const int Chunk = 1024;

    /// <summary>
    /// <see cref="MungeOptions.Multiplier"/> × N synthetic examples of <paramref name="source"/>'s shape, without labels
    /// (the source's <see cref="LabeledDataset.ClassCount"/> is kept). Deterministic for a given seed.
    /// </summary>
    /// <exception cref="ArgumentException">The source has fewer than two examples.</exception>
    public static LabeledDataset Generate(LabeledDataset source, MungeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new MungeOptions();
        options.Validate();
        if (source.Count < 2)
        {
            throw new ArgumentException($"MUNGE needs at least two examples to pair; got {source.Count}.", nameof(source));
        }

        int count = source.Count, size = source.FeatureSize;
        if ((long)count * size * options.Multiplier > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{options.Multiplier} × {count} examples of {size} features is more than one array holds; use a smaller Multiplier or generate in parts.", nameof(options));
        }
        var original = source.Features.reshape(count, size).contiguous();
        var neighbours = NearestNeighbours(original);
        float[] data = original.data<float>().ToArray();
        float[] output = new float[(long)count * size * options.Multiplier];
        var random = new Random(unchecked((int)options.Seed ^ (int)(options.Seed >> 32)));
        double probability = options.SwapProbability, spread = options.Spread;

        for (int pass = 0; pass < options.Multiplier; pass++)
        {
            var copy = output.AsSpan((int)((long)pass * count * size), count * size);
            data.CopyTo(copy);
            for (int i = 0; i < count; i++)
            {
                var e = copy.Slice(i * size, size);
                var other = copy.Slice((int)neighbours[i] * size, size);
                for (int a = 0; a < size; a++)
                {
                    if (random.NextDouble() >= probability)
                    {
                        continue;
                    }
                    double x = e[a], y = other[a];
                    double sd = Math.Abs(x - y) / spread;
                    e[a] = (float)(y + sd * Normal(random));
                    other[a] = (float)(x + sd * Normal(random));
                }
            }
        }

        var shape = source.Shape.BatchShape((long)count * options.Multiplier);
        return LabeledDataset.Unlabeled(tensor(output).reshape(shape), source.ClassCount);
    }

    /// <summary>For each row, the index of the nearest other row (squared Euclidean distance), in chunks.</summary>
    private static long[] NearestNeighbours(Tensor rows)
    {
        using var _ = no_grad();
        long count = rows.shape[0];
        var result = new long[count];
        using var norms = rows.square().sum(1);
        for (long start = 0; start < count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(Chunk, count - start);
            var block = rows.narrow(0, start, n);
            // |a − b|² = |a|² + |b|² − 2 a·b; |a|² is the same along a row, so it does not change the argmin.
            var distances = norms.unsqueeze(0) - 2 * block.matmul(rows.t());
            distances.index_put_(float.PositiveInfinity, arange(n), arange(start, start + n)); // not its own neighbour
            distances.argmin(1).data<long>().CopyTo(result.AsSpan((int)start, (int)n));
        }
        return result;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Normal(Random random)
    {
        double u = 1 - random.NextDouble(); // (0, 1]: the logarithm is finite
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}

/// <summary>Parameters of <see cref="Munge.Generate"/>. The paper tunes p and s per problem; these defaults are ours.</summary>
public sealed record MungeOptions
{
    /// <summary>Passes over the data, each giving N synthetic examples (the paper's k). Default 4.</summary>
    public int Multiplier { get; init; } = 4;

    /// <summary>Probability that a feature is redrawn (the paper's p), in (0, 1]. Default 0.5.</summary>
    public double SwapProbability { get; init; } = 0.5;

    /// <summary>
    /// Divides the distance between the pair to give the redraw's standard deviation (the paper's local variance
    /// parameter s); larger keeps the new values closer to the neighbour's. Default 2.
    /// </summary>
    public double Spread { get; init; } = 2;

    /// <summary>Seed of the draws. Default 42.</summary>
    public long Seed { get; init; } = 42;

    internal void Validate()
    {
        if (Multiplier < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Multiplier), $"MungeOptions.Multiplier must be at least 1; got {Multiplier}.");
        }
        if (!(SwapProbability > 0 && SwapProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SwapProbability), $"MungeOptions.SwapProbability must be in (0, 1]; got {SwapProbability}.");
        }
        if (!(Spread > 0) || double.IsInfinity(Spread))
        {
            throw new ArgumentOutOfRangeException(nameof(Spread), $"MungeOptions.Spread must be positive and finite; got {Spread}.");
        }
    }
}
