using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeclarativeDistill;

/// <summary>
/// One term of a <see cref="DistillationObjective"/>: the soft targets of Hinton et al., the hard labels, a FitNets hint,
/// or one of the methods that compare logits (<see cref="DkdTerm"/>, <see cref="DistTerm"/>) or the outputs of named
/// layers (<see cref="AttentionTransferTerm"/>, <see cref="RkdTerm"/>, <see cref="SimilarityPreservingTerm"/>,
/// <see cref="PktTerm"/>). Each says what it reads, prepares its teachers' side (which the trainer may compute once for
/// the whole transfer set), owns any trainable parameters it needs, and gives its weighted value for a batch. The loss
/// is the sum of the terms; reports and checkpoints carry each by its <see cref="Name"/>.
/// </summary>
public abstract record DistillationTerm
{
    private protected DistillationTerm()
    {
    }

    /// <summary>
    /// The term in reports and checkpoints, unique within an objective: <c>soft</c>, <c>hard</c>, <c>dkd</c>,
    /// <c>hint(res2, conv4)</c>, <c>attention(res2, conv3)</c>.
    /// </summary>
    public abstract string Name { get; }

    /// <summary>Every constant that defines the term, by name: what the run's fingerprint compares.</summary>
    internal abstract IEnumerable<(string Key, double Value)> Constants { get; }

    /// <summary>Whether it reads the labels (a transfer set without labels cannot serve it).</summary>
    internal virtual bool NeedsLabels => false;

    /// <summary>Whether it reads the student's logits.</summary>
    internal virtual bool ReadsStudentLogits => false;

    /// <summary>Whether it reads the teachers' logits.</summary>
    internal virtual bool ReadsTeacherLogits => false;

    /// <summary>The student's layers it reads (by their names in <see cref="IFeatureLayers.FeatureLayers"/>).</summary>
    internal virtual IEnumerable<string> StudentLayers => Array.Empty<string>();

    /// <summary>The teachers' layers it reads: the teacher's position in the distillation, and the layer's name.</summary>
    internal virtual IEnumerable<(int Teacher, string Layer)> TeacherLayers => Array.Empty<(int, string)>();

    /// <summary><c>dkd (T = 4, Alpha = 1, Beta = 0.5, WarmupEpochs = 3)</c>: its name and constants (the teacher is in the name).</summary>
    public sealed override string ToString() => Description;

    /// <summary>What <see cref="ToString"/> says.</summary>
    private protected virtual string Description =>
        $"{Name} ({string.Join(", ", Constants.Where(c => c.Key != "Teacher").Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} = {c.Value:G6}")))})";

    /// <summary>The term for one run: its scalars, trainable parameters and per-batch computation.</summary>
    internal abstract TermRuntime Start(TermSetup setup);

    /// <summary>A weight: finite and positive, or with <paramref name="zero"/> also 0.</summary>
    private protected static double CheckWeight(double value, string name, bool zero = false)
    {
        if (!(zero ? value >= 0 : value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be finite and {(zero ? "non-negative" : "positive")}; got {value}."));
        }
        return value;
    }

    /// <summary>A layer name: not null, empty or blank.</summary>
    private protected static string Layer(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }

    /// <summary>A teacher's position: not negative.</summary>
    private protected static int Position(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, $"A teacher's position cannot be negative; got {value}.");

    /// <summary><c>(res2, conv4)</c>, or <c>(res2, conv4, teacher 1)</c> for a teacher of an ensemble other than the first.</summary>
    private protected static string Layers(string teacherLayer, string studentLayer, int teacher) =>
        teacher == 0 ? $"({teacherLayer}, {studentLayer})" : $"({teacherLayer}, {studentLayer}, teacher {teacher})";
}
