using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Measures the range of chosen values of a float32 ONNX graph on a calibration set, in ONNX Runtime: the graph is
/// run with those values as extra outputs, once for their smallest and largest value, and for the percentile and
/// entropy methods once more for a histogram of each over that span.
/// </summary>
internal static class ActivationRanges
{
    private const int Bins = 2048;
    private const int Levels = 256;
    private const int BatchSize = 64;

    /// <summary>The calibrated range of each of <paramref name="values"/>, zero always inside it.</summary>
    public static Dictionary<string, (float Low, float High)> Measure(ModelProto model, IReadOnlyCollection<string> values, Calibration calibration, int inputSize)
    {
        var probe = model.Clone();
        foreach (string value in values.Where(v => probe.Graph.Output.All(o => o.Name != v)))
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = value });
        }
        var names = values.ToArray();
        var batches = Batches(calibration, inputSize).ToList();
        bool tokens = model.Graph.Input.Any(i => i.Name == OnnxExport.TokenIds);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(probe.ToByteArray(), options);

        var low = Enumerable.Repeat(float.PositiveInfinity, names.Length).ToArray();
        var high = Enumerable.Repeat(float.NegativeInfinity, names.Length).ToArray();
        Run(session, batches, names, inputSize, tokens, (i, batch) =>
        {
            foreach (float v in batch.Span)
            {
                if (!float.IsFinite(v))
                {
                    throw new InvalidOperationException($"The calibration run gave {v} in '{names[i]}': the network's outputs are not finite on the calibration set.");
                }
                low[i] = Math.Min(low[i], v);
                high[i] = Math.Max(high[i], v);
            }
        });

        var result = new Dictionary<string, (float, float)>();
        if (calibration.Method == CalibrationMethod.MinMax)
        {
            for (int i = 0; i < names.Length; i++)
            {
                result[names[i]] = (Math.Min(0, low[i]), Math.Max(0, high[i]));
            }
            return result;
        }

        var histograms = new Histogram[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            histograms[i] = new Histogram(Math.Min(0, low[i]), Math.Max(0, high[i]));
        }
        Run(session, batches, names, inputSize, tokens, (i, batch) => histograms[i].Add(batch.Span));
        for (int i = 0; i < names.Length; i++)
        {
            result[names[i]] = calibration.Method == CalibrationMethod.Percentile
                ? histograms[i].Percentile(calibration.Percentile)
                : histograms[i].MinimumDivergence();
        }
        return result;
    }

    /// <summary>Up to <see cref="Calibration.Examples"/> examples spread evenly over the set, as flat rows in batches.</summary>
    private static IEnumerable<float[]> Batches(Calibration calibration, int inputSize)
    {
        var data = calibration.Data; // its shape was checked against the network's (Trainer.CheckData)
        if (data.Count == 0)
        {
            throw new ArgumentException("The calibration set is empty.", nameof(calibration));
        }
        long count = Math.Min(calibration.Examples, data.Count);
        for (long start = 0; start < count; start += BatchSize)
        {
            var indices = new long[Math.Min(BatchSize, count - start)];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = (start + i) * data.Count / count;
            }
            var (features, labels) = data.ReadBatch(indices);
            using (features)
            using (labels)
            using (var flat = features.reshape(indices.Length, -1).contiguous())
            {
                yield return flat.data<float>().ToArray();
            }
        }
    }

    private static void Run(InferenceSession session, List<float[]> batches, string[] names, int inputSize, bool tokens, Action<int, ReadOnlyMemory<float>> each)
    {
        foreach (var rows in batches)
        {
            var inputs = OnnxInputs.For(rows, 0, rows.Length / inputSize, inputSize, tokens);
            using var results = session.Run(inputs, names);
            int i = 0;
            foreach (var result in results)
            {
                var tensor = (DenseTensor<float>)result.AsTensor<float>();
                each(i++, tensor.Buffer);
            }
        }
    }

    /// <summary>Counts of values in <see cref="Bins"/> equal bins over [low, high], which holds zero.</summary>
    private sealed class Histogram
    {
        private readonly float low;
        private readonly float width;
        private readonly double[] counts = new double[Bins];

        public Histogram(float low, float high)
        {
            this.low = low;
            width = high > low ? (high - low) / Bins : 0;
        }

        /// <summary>The bin that holds zero.</summary>
        private int ZeroBin => width == 0 ? 0 : Math.Clamp((int)(-low / width), 0, Bins - 1);

        public void Add(ReadOnlySpan<float> values)
        {
            if (width == 0)
            {
                return;
            }
            foreach (float v in values)
            {
                counts[Math.Clamp((int)((v - low) / width), 0, Bins - 1)]++;
            }
        }

        /// <summary>The values between the (100 − p)th and pth percentiles.</summary>
        public (float, float) Percentile(double percentile)
        {
            if (width == 0)
            {
                return (low, low);
            }
            double total = counts.Sum();
            double tail = total * (100 - percentile) / 100;
            int first = 0, last = Bins - 1;
            for (double seen = 0; first < Bins - 1 && seen + counts[first] <= tail; first++)
            {
                seen += counts[first];
            }
            for (double seen = 0; last > 0 && seen + counts[last] <= tail; last--)
            {
                seen += counts[last];
            }
            return (Math.Min(0, low + width * first), Math.Max(0, low + width * (last + 1)));
        }

        /// <summary>
        /// The window of bins around zero, shrunk on both sides in proportion, whose values quantized to
        /// <see cref="Levels"/> steps diverge least from the values seen (outliers folded into the edge bins).
        /// </summary>
        public (float, float) MinimumDivergence()
        {
            if (width == 0)
            {
                return (low, low);
            }
            int zero = ZeroBin;
            double best = double.PositiveInfinity;
            (int First, int End) chosen = (0, Bins);
            for (int step = 0; ; step++)
            {
                double fraction = 1 - step / 256.0;
                int first = zero - (int)Math.Round(zero * fraction);
                int end = zero + (int)Math.Round((Bins - zero) * fraction);
                if (end - first < Levels)
                {
                    break;
                }
                double divergence = Divergence(first, end);
                if (divergence < best)
                {
                    best = divergence;
                    chosen = (first, end);
                }
            }
            return (Math.Min(0, low + width * chosen.First), Math.Max(0, low + width * chosen.End));
        }

        /// <summary>
        /// KL(P ‖ Q) over the bins [first, end): P the values seen, those outside the window added to its edge bins (what
        /// clipping does to them); Q the window's own values quantized to <see cref="Levels"/> steps (each step's count
        /// spread evenly over its non-empty bins), without the clipped ones, so that clipping costs what it loses.
        /// </summary>
        private double Divergence(int first, int end)
        {
            int size = end - first;
            var p = new double[size];
            Array.Copy(counts, first, p, 0, size);
            for (int i = 0; i < first; i++)
            {
                p[0] += counts[i];
            }
            for (int i = end; i < Bins; i++)
            {
                p[size - 1] += counts[i];
            }
            // Zero is exact in every range (its zero point), and after a ReLU it is most values: its bin would
            // outweigh the rest and favour ranges that clip them.
            int zeroBin = ZeroBin - first;
            if (zeroBin >= 0 && zeroBin < size)
            {
                p[zeroBin] = 0;
            }
            var q = new double[size];
            for (int level = 0; level < Levels; level++)
            {
                int start = level * size / Levels, stop = (level + 1) * size / Levels;
                double mass = 0;
                int nonEmpty = 0;
                for (int i = start; i < stop; i++)
                {
                    mass += i == zeroBin ? 0 : counts[first + i];
                    nonEmpty += p[i] > 0 ? 1 : 0;
                }
                for (int i = start; i < stop; i++)
                {
                    q[i] = p[i] > 0 ? mass / nonEmpty : 0;
                }
            }
            double pTotal = p.Sum(), qTotal = q.Sum();
            if (qTotal == 0)
            {
                return double.PositiveInfinity; // every value seen lies outside the window
            }
            double divergence = 0;
            for (int i = 0; i < size; i++)
            {
                if (p[i] > 0)
                {
                    // A bin Q leaves empty (its values were all clipped) costs as if it held a 10⁻⁹ share.
                    divergence += p[i] / pTotal * Math.Log(p[i] / pTotal / Math.Max(q[i] / qTotal, 1e-9));
                }
            }
            return divergence;
        }
    }
}
