using System;
using System.Collections.Generic;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>A training, a validation and a test part of one set of examples; disposing the split disposes the parts.</summary>
public sealed record DataSplit<T>(T Train, T Validation, T Test) : IDisposable
    where T : DataSource
{
    /// <summary>Disposes the three parts.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}

/// <summary>Chooses which examples go to which part of a split: seeded, and stratified by class when there are labels.</summary>
internal static class Splitter
{
    /// <summary>The rows of each part, each in ascending order (so that a source on disk is read front to back).</summary>
    public static (long[] Train, long[] Validation, long[] Test) Rows(DataSource data, double validation, double test, int seed)
    {
        if (!(validation >= 0 && test >= 0 && validation + test < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validation),
                $"The validation ({validation}) and test ({test}) fractions must be at least 0 and leave some examples for training.");
        }
        var random = new Random(seed);
        var train = new List<long>();
        var valid = new List<long>();
        var tests = new List<long>();
        foreach (var group in Groups(data))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            int testCount = (int)Math.Round(rows.Length * test);
            int validationCount = (int)Math.Round(rows.Length * validation);
            if (testCount + validationCount >= rows.Length && rows.Length > 0)
            {
                // A class too small for three parts keeps at least one example for training.
                validationCount = Math.Max(0, Math.Min(validationCount, rows.Length - 1 - testCount));
                testCount = Math.Min(testCount, rows.Length - 1 - validationCount);
            }
            tests.AddRange(rows.Take(testCount));
            valid.AddRange(rows.Skip(testCount).Take(validationCount));
            train.AddRange(rows.Skip(testCount + validationCount));
        }
        if (train.Count == 0 || (validation > 0 && valid.Count == 0) || (test > 0 && tests.Count == 0))
        {
            throw new ArgumentException(
                $"A part of this split of {data.Count} examples would be empty ({train.Count} training, {valid.Count} validation, {tests.Count} test); use larger fractions or more examples.");
        }
        return (Sorted(train), Sorted(valid), Sorted(tests));
    }

    /// <summary>The rows of each class (in class order), or all rows as one group for data without labels.</summary>
    private static IEnumerable<IEnumerable<long>> Groups(DataSource data)
    {
        if (!data.HasLabels)
        {
            return new[] { Enumerable.Range(0, data.Count).Select(i => (long)i) };
        }
        var labels = data.ReadLabels();
        return Enumerable.Range(0, data.ClassCount)
            .Select(c => Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Select(i => (long)i));
    }

    private static long[] Sorted(List<long> rows)
    {
        var array = rows.ToArray();
        Array.Sort(array);
        return array;
    }
}
