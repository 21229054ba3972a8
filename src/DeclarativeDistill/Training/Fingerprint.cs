using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// What a training run is, as a checkpoint records it: the model, the data's size, every option that changes the
/// result, the teachers, and every constant of every term of the objective, one <c>key value</c> line each (keys have no
/// spaces). A checkpoint of another run is refused with the lines that differ (<c>soft.Alpha 0.5 here, 0.9 in the
/// checkpoint</c>), then both fingerprints whole.
/// </summary>
internal static class Fingerprint
{
    public static string Of(string kind, Model model, DataSource data, TrainingOptions options, IReadOnlyList<Model> teachers,
        IReadOnlyList<DistillationTerm> terms)
    {
        long parameters = model.parameters().Sum(p => p.numel());
        var lines = new List<(string Key, string Value)>
        {
            ("run", kind),
            ("model", $"{model.GetName()}, {parameters} parameters"),
            ("data", $"{data.Count} × {data.FeatureSize}"),
            ("epochs", Format(options.Epochs)),
            ("batch", Format(options.BatchSize)),
            ("LR", Format(options.LearningRate)),
            ("schedule", options.Schedule.ToString()),
            ("momentum", Format(options.Momentum)),
            ("weight-decay", Format(options.WeightDecay)),
            ("seed", Format(options.Seed)),
            ("augmentation", options.Augment is null ? "none" : "augmented"),
            ("mask", options.Mask?.ToString() ?? "none"),
        };
        if (model is IGeneratedNetwork { InputNormalization: { } normalization })
        {
            lines.Add(("input-normalization", Hash(normalization.Mean.Concat(normalization.Std))));
        }
        if (teachers.Count > 0)
        {
            lines.Add(("teachers", string.Join(", ", teachers.Select(t => t.GetName()))));
        }
        lines.Add(("terms", string.Join(", ", terms.Select(t => t.Name))));
        foreach (var term in terms)
        {
            foreach (var (key, value) in term.Constants)
            {
                lines.Add(($"{term.Name.Replace(" ", "")}.{key}", Format(value))); // keys have no spaces: attention(res1,conv2).Weight
            }
        }
        return string.Join("\n", lines.Select(l => $"{l.Key} {l.Value}"));
    }

    /// <summary>What differs between this run's fingerprint and a checkpoint's, line by line.</summary>
    public static string Differences(string here, string stored)
    {
        var mine = Parse(here);
        var theirs = Parse(stored);
        string whole = $"\n  checkpoint:\n    {stored.Replace("\n", "\n    ")}\n  this run:\n    {here.Replace("\n", "\n    ")}\n";
        var differences = mine.Keys.Concat(theirs.Keys).Distinct()
            .Where(k => !mine.TryGetValue(k, out var a) || !theirs.TryGetValue(k, out var b) || a != b)
            .Select(k => Difference(k, mine.TryGetValue(k, out var a) ? a : "none", theirs.TryGetValue(k, out var b) ? b : "none"))
            .ToList();
        return (differences.Count == 0 ? "its fingerprint differs" : string.Join("; ", differences)) + whole;
    }

    /// <summary>
    /// <c>soft.Alpha 0.5 here, 0.9 in the checkpoint</c>. Numbers are shown to 15 digits (1 − 0.9 as 0.1) unless that would
    /// show two different values alike; the fingerprints compare every digit.
    /// </summary>
    private static string Difference(string key, string here, string stored)
    {
        if (double.TryParse(here, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out double b))
        {
            var (shortHere, shortStored) = (a.ToString("G15", CultureInfo.InvariantCulture), b.ToString("G15", CultureInfo.InvariantCulture));
            if (shortHere != shortStored)
            {
                (here, stored) = (shortHere, shortStored);
            }
        }
        return $"{key} {here} here, {stored} in the checkpoint";
    }

    /// <summary>The lines by key; a fingerprint of an earlier version (one line of prose) gives whatever its first word is.</summary>
    private static Dictionary<string, string> Parse(string fingerprint)
    {
        var lines = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in fingerprint.Split('\n'))
        {
            int space = line.IndexOf(' ');
            lines[space < 0 ? line : line[..space]] = space < 0 ? "" : line[(space + 1)..];
        }
        return lines;
    }

    /// <summary>A short hash of many values, for a line that must change when any of them does.</summary>
    private static string Hash(IEnumerable<float> values)
    {
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16].ToLowerInvariant();
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
