using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// One hint term of a <see cref="DistillationObjective"/>: <c>Weight · MSE(regressor(student's StudentLayer), teacher's TeacherLayer)</c>,
/// the mean over the batch and every element of the hint. A generated student's <c>Objective</c> holds one per
/// <see cref="HintAttribute"/>, with the regressor the generator sized.
/// </summary>
public sealed record FeatureHint : DistillationTerm
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
    public override string Name => "hint" + Layers(TeacherLayer, StudentLayer, Teacher);

    internal override IEnumerable<(string Key, double Value)> Constants => new[]
    {
        ("Weight", Weight),
        ("Teacher", Teacher),
        ("Regressor", Regressor.ParameterCount),
    };

    internal override IEnumerable<string> StudentLayers => new[] { StudentLayer };

    internal override IEnumerable<(int Teacher, string Layer)> TeacherLayers => new[] { (Teacher, TeacherLayer) };

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this, setup);

    private protected override string Description =>
        FormattableString.Invariant($"{StudentLayer} → {TeacherLayer}{(Teacher != 0 ? $" of teacher {Teacher}" : "")} through a {Regressor}, weight {Weight:G6}");

    /// <summary>The regressor, made from TorchSharp's global generator when the run starts, trained with the student and then dropped.</summary>
    private sealed class Runtime : TermRuntime
    {
        private readonly FeatureHint hint;
        private readonly Model regressor;
        private readonly Scalar weight;
        private readonly string student;
        private readonly string teacher;

        public Runtime(FeatureHint hint, TermSetup setup)
            : base(hint)
        {
            this.hint = hint;
            regressor = hint.Regressor.Create();
            weight = hint.Weight.ToScalar();
            student = setup.Student.GetName();
            teacher = setup.Teachers[hint.Teacher].GetName();
        }

        public override void Check(TermBatch batch)
        {
            var guided = batch.Student.Layer(hint.StudentLayer);
            var target = batch.Teacher[0];
            Tensor regressed;
            try
            {
                regressed = regressor.call(guided);
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArgumentException)
            {
                throw new ArgumentException(
                    $"The hint's regressor ({hint.Regressor}) cannot read {student}'s {hint.StudentLayer}, which gives {Describe(guided)}.", "objective", e);
            }
            if (!regressed.shape.AsSpan().SequenceEqual(target.shape))
            {
                throw new ArgumentException(
                    $"The hint's regressor ({hint.Regressor}) turns {student}'s {hint.StudentLayer} ({Describe(guided)}) into {Describe(regressed)}, " +
                    $"but {teacher}'s {hint.TeacherLayer} gives {Describe(target)}.", "objective");
            }
        }

        private static string Describe(Tensor batch) => string.Join("x", batch.shape[1..]);

        public override IReadOnlyList<Model> Adapters => new[] { regressor };

        public override Tensor[] TeacherSide(TeacherOutputs teachers)
        {
            var target = teachers.Layer(hint.Teacher, hint.TeacherLayer);
            return new[] { hint.Regressor.IsConvolution || hint.Regressor.IsPerStep ? target : target.flatten(1) };
        }

        public override Tensor Compute(TermBatch batch) =>
            nn.functional.mse_loss(regressor.call(batch.Student.Layer(hint.StudentLayer)), batch.Teacher[0]).mul_(weight);

        public override void Dispose()
        {
            regressor.Dispose();
            weight.Dispose();
        }
    }
}
