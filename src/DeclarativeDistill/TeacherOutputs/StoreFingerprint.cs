using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// What a teacher-output store was computed from, as text every shard writes and every reader recomputes: each teacher
/// (its name and a hash of every tensor of its state_dict), the transfer set (count, shape, and a hash of 64 examples
/// spread over it, so that reading it stays cheap) and the outputs. Two processes given the same teachers and data
/// compute the same text; anything else differs.
/// </summary>
internal static class StoreFingerprint
{
    private const int SampledExamples = 64;

    public static string Of(IReadOnlyList<Model> teachers, DataSource data, IReadOnlyList<TeacherOutput> outputs)
    {
        var lines = new List<string>();
        for (int t = 0; t < teachers.Count; t++)
        {
            lines.Add($"teacher{t} {teachers[t].GetName()}, weights {Weights(teachers[t])}");
        }
        lines.Add(FormattableString.Invariant($"data {data.Count} x {data.Shape}, sample {Sample(data)}"));
        lines.AddRange(outputs.Select((o, i) => $"output{i} {o}"));
        return string.Join("\n", lines);
    }

    /// <summary>SHA-256 of the teacher's state_dict (keys and float32 values), as 16 hex digits.</summary>
    private static string Weights(Model teacher)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, tensor) in teacher.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(key));
            using var values = tensor.detach().cpu().contiguous();
            hash.AppendData(values.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>SHA-256 of 64 examples (features and labels) spread evenly over the set, first and last included.</summary>
    private static string Sample(DataSource data)
    {
        int count = Math.Min(SampledExamples, data.Count);
        var indices = Enumerable.Range(0, count)
            .Select(i => count == 1 ? 0L : (long)Math.Round((double)i * (data.Count - 1) / (count - 1)))
            .ToArray();
        var features = new float[count * data.FeatureSize];
        var labels = new long[data.HasLabels ? count : 0];
        data.Read(indices, features, labels);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(features.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
