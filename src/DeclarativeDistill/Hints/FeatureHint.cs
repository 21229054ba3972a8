using System;

namespace DeclarativeDistill;

/// <summary>
/// One hint term of a <see cref="DistillationObjective"/>: <c>Weight · MSE(regressor(student's StudentLayer), teacher's TeacherLayer)</c>,
/// the mean over the batch and every element of the hint. A generated student's <c>Objective</c> holds one per
/// <see cref="HintAttribute"/>, with the regressor the generator sized.
/// </summary>
public sealed record FeatureHint
{
    private readonly double weight = 1;
    private readonly int teacher;

    /// <param name="teacherLayer">The teacher layer whose output is the hint.</param>
    /// <param name="studentLayer">The student layer (the guided layer) that learns to predict it.</param>
    /// <param name="regressor">What maps the student layer's output to the hint's shape.</param>
    public FeatureHint(string teacherLayer, string studentLayer, HintRegressor regressor)
    {
        ArgumentException.ThrowIfNullOrEmpty(teacherLayer);
        ArgumentException.ThrowIfNullOrEmpty(studentLayer);
        ArgumentNullException.ThrowIfNull(regressor);
        TeacherLayer = teacherLayer;
        StudentLayer = studentLayer;
        Regressor = regressor;
    }

    /// <summary>The teacher layer whose output is the hint.</summary>
    public string TeacherLayer { get; }

    /// <summary>The student layer that learns to predict it.</summary>
    public string StudentLayer { get; }

    /// <summary>What maps the student layer's output to the hint's shape.</summary>
    public HintRegressor Regressor { get; }

    /// <summary>Weight of the term: positive and finite. Default 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a value out of range.</exception>
    public double Weight
    {
        get => weight;
        init
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Weight), $"A hint's Weight must be positive and finite; got {value}.");
            }
            weight = value;
        }
    }

    /// <summary>Which of the distillation's teachers gives the hint, by position (0 for the only one).</summary>
    /// <exception cref="ArgumentOutOfRangeException">On setting a negative value.</exception>
    public int Teacher
    {
        get => teacher;
        init => teacher = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Teacher), $"A teacher's position cannot be negative; got {value}.");
    }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{StudentLayer} → {TeacherLayer}{(Teacher != 0 ? $" of teacher {Teacher}" : "")} through a {Regressor}, weight {Weight:G6}");
}
