using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The entry points behind the generated <c>Fit</c> and <c>Distill</c> methods. Generated code binds the
/// typed parts (architecture, sizes, the loss with its declared constants); this class checks the data,
/// places models on the device, prepares the teachers (and their cached outputs), and runs the loop the
/// two share (batching, SGD and its schedule, progress, cancellation, checkpoints). It can also be called
/// directly with hand-written modules.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/>, which reads vectors of <paramref name="inputSize"/> features, on hard labels with cross-entropy.</summary>
    public static TrainingReport Fit(Model model, int inputSize, int outputSize, LabeledDataset train, TrainingOptions? options = null) =>
        Fit(model, new FeatureShape(inputSize), outputSize, train, options);

    /// <summary>
    /// Trains <paramref name="model"/> on hard labels with cross-entropy. The model reads examples of
    /// <paramref name="input"/> (the generated <c>InputShape</c>); the training set must match it.
    /// </summary>
    public static TrainingReport Fit(Model model, FeatureShape input, int outputSize, LabeledDataset train, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(model, input, outputSize, train, "training set");
        CheckLabelled(train, "Fit trains on labels");
        options ??= new TrainingOptions();
        options.Validate();
        var device = options.Device ?? CPU;
        model.to(device);
        return TrainingLoop.Run(model, train, options, Fingerprint("Fit", model, train, options), TimeSpan.Zero, device,
            batch => BatchLoss.HardOnly(nn.functional.cross_entropy(model.call(batch.Features), batch.Labels!)));
    }

    /// <summary>
    /// Trains <paramref name="student"/> on <paramref name="transferSet"/> to minimise <paramref name="objective"/>
    /// against the teachers' outputs (several teachers: see <see cref="KnowledgeDistillation.EnsembleLogits"/>).
    /// The teachers run in evaluation mode without gradients and are left in the mode they were in. When
    /// <see cref="TrainingOptions.CacheTeacherOutputs"/> applies, the teachers' weighted probabilities at the
    /// objective's temperature are computed once and reused every epoch. Generated students call this.
    /// </summary>
    public static TrainingReport Distill(
        Model student,
        FeatureShape input,
        int outputSize,
        IReadOnlyList<Model> teachers,
        DistillationObjective objective,
        LabeledDataset transferSet,
        TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (transferSet is { HasLabels: false } && objective.Beta != 0)
        {
            throw new ArgumentException(
                $"The transfer set has no labels, but the objective weights the hard-label term by Beta = {objective.Beta:G6}. " +
                "Distil on the teachers' outputs alone with Beta = 0 (for a generated student: objective: Student.Objective with { Beta = 0 }), or give a labelled transfer set.",
                nameof(transferSet));
        }
        if (objective.Hints.Count > 0)
        {
            return HintedDistillation.Run(student, input, outputSize, teachers, objective, transferSet, options);
        }
        using var terms = objective.Terms();
        return Distill(student, input, outputSize, teachers, objective.Temperature, transferSet, options, TeacherSignal.Objective(terms));
    }

    /// <summary>As the overload with a <see cref="FeatureShape"/>, for a student that reads vectors of <paramref name="inputSize"/> features.</summary>
    public static TrainingReport Distill(
        Model student,
        int inputSize,
        int outputSize,
        IReadOnlyList<Model> teachers,
        DistillationObjective objective,
        LabeledDataset transferSet,
        TrainingOptions? options = null) =>
        Distill(student, new FeatureShape(inputSize), outputSize, teachers, objective, transferSet, options);

    /// <summary>
    /// Trains <paramref name="student"/> on <paramref name="transferSet"/> with a <paramref name="loss"/> of your own,
    /// (studentLogits, teacherLogits, labels) → a scalar, against the teachers' logits (several teachers: see
    /// <see cref="KnowledgeDistillation.EnsembleLogits"/> at <paramref name="temperature"/>). The teachers run in
    /// evaluation mode without gradients and are left in the mode they were in. When
    /// <see cref="TrainingOptions.CacheTeacherOutputs"/> applies, their logits are computed once.
    /// </summary>
    public static TrainingReport Distill(
        Model student,
        int inputSize,
        int outputSize,
        IReadOnlyList<Model> teachers,
        double temperature,
        LabeledDataset transferSet,
        Func<Tensor, Tensor, Tensor, Tensor> loss,
        TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        CheckLabelled(transferSet, "a loss of your own receives the labels");
        return Distill(student, new FeatureShape(inputSize), outputSize, teachers, temperature, transferSet, options, TeacherSignal.Logits(loss));
    }

    private static TrainingReport Distill(
        Model student,
        FeatureShape input,
        int outputSize,
        IReadOnlyList<Model> teachers,
        double temperature,
        LabeledDataset transferSet,
        TrainingOptions? options,
        TeacherSignal signal)
    {
        CheckTeachers(student, teachers);
        CheckData(student, input, outputSize, transferSet, "transfer set");
        options ??= new TrainingOptions();
        options.Validate();

        var device = options.Device ?? CPU;
        bool onCpu = device.type == DeviceType.CPU;
        student.to(device);
        var wereTraining = TeachersForTeaching(teachers, device);
        Tensor? cached = null, offsets = null;
        try
        {
            var preparation = Stopwatch.StartNew();
            if (options.CacheTeacherOutputs && options.Augment is null && options.Epochs > 0)
            {
                using var logits = TeacherLogits(teachers, temperature, transferSet.Features, device);
                using (no_grad())
                {
                    (cached, offsets) = signal.Cache(logits);
                }
            }
            string fingerprint = Fingerprint("Distill", student, transferSet, options)
                + FormattableString.Invariant($"; teachers {string.Join(", ", teachers.Select(t => t.GetName()))} at T = {temperature}");
            return TrainingLoop.Run(student, transferSet, options, fingerprint, preparation.Elapsed, device, batch =>
            {
                if (cached is null)
                {
                    using var logits = TeacherLogits(teachers, temperature, batch.Features, device);
                    return signal.FromLogits(student.call(batch.Features), logits, batch);
                }
                using var rows = cached.index_select(0, onCpu ? batch.Indices : batch.Indices.to(device));
                return signal.FromCache(student.call(batch.Features), rows, batch);
            }, offsets);
        }
        finally
        {
            cached?.Dispose();
            offsets?.Dispose();
            RestoreModes(teachers, wereTraining);
        }
    }

    /// <summary>The teachers' combined logits for <paramref name="features"/>, computed in chunks without gradients, on <paramref name="device"/>.</summary>
    private static Tensor TeacherLogits(IReadOnlyList<Model> teachers, double temperature, Tensor features, Device device) =>
        RowChunks.Concatenate(features, device, input => new[] { KnowledgeDistillation.EnsembleLogits(teachers.Select(t => t.call(input)).ToArray(), temperature) })[0];

    /// <summary>Moves the teachers to <paramref name="device"/> in evaluation mode; returns the modes they were in, for <see cref="RestoreModes"/>.</summary>
    internal static bool[] TeachersForTeaching(IReadOnlyList<Model> teachers, Device device)
    {
        var wereTraining = teachers.Select(t => t.training).ToArray();
        foreach (var teacher in teachers)
        {
            teacher.to(device);
            teacher.eval();
        }
        return wereTraining;
    }

    /// <summary>Puts the teachers back in the modes <see cref="TeachersForTeaching"/> found them in.</summary>
    internal static void RestoreModes(IReadOnlyList<Model> teachers, bool[] wereTraining)
    {
        for (int i = 0; i < teachers.Count; i++)
        {
            teachers[i].train(wereTraining[i]);
        }
    }

    /// <summary>Throws unless there is a student and at least one teacher, none null and none the student.</summary>
    internal static void CheckTeachers(Model student, IReadOnlyList<Model> teachers)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teachers);
        if (teachers.Count == 0 || teachers.Any(t => t is null))
        {
            throw new ArgumentException("Distillation needs at least one teacher, and no teacher may be null.", nameof(teachers));
        }
        if (teachers.Any(t => ReferenceEquals(t, student)))
        {
            throw new ArgumentException("A model cannot be its own teacher.", nameof(teachers));
        }
    }

    /// <summary>What a run is: a checkpoint from any other run is refused.</summary>
    internal static string Fingerprint(string kind, Model model, LabeledDataset data, TrainingOptions options)
    {
        long parameters = model.parameters().Sum(p => p.numel());
        string augmentation = (options.Augment is null ? "no augmentation" : "augmented") + (options.Mask is { } mask ? $", {mask}" : "");
        string what = FormattableString.Invariant($"{kind} {model.GetName()} ({parameters} parameters) on {data.Count} × {data.FeatureSize}");
        string how = FormattableString.Invariant(
            $"{options.Epochs} epochs, batch {options.BatchSize}, LR {options.LearningRate} {options.Schedule}, momentum {options.Momentum}, weight decay {options.WeightDecay}");
        return FormattableString.Invariant($"{what}; {how}, seed {options.Seed}, {augmentation}");
    }

    /// <summary>Throws when <paramref name="data"/> (already checked for null) has no labels, saying <paramref name="why"/> they are needed.</summary>
    internal static void CheckLabelled(LabeledDataset? data, string why)
    {
        if (data is { HasLabels: false })
        {
            throw new ArgumentException($"The dataset of {data.Count} examples has no labels, and {why}.", nameof(data));
        }
    }

    internal static void CheckData(Model model, FeatureShape input, int outputSize, LabeledDataset data, string role)
    {
        ArgumentNullException.ThrowIfNull(data, role);
        ArgumentNullException.ThrowIfNull(input);
        if (!input.Accepts(data.Shape))
        {
            throw new ArgumentException(
                $"{model.GetName()} takes {input.Describe()} per example but the {role} has examples of {data.Shape.Describe()}.", nameof(data));
        }
        if (data.ClassCount > outputSize)
        {
            throw new ArgumentException(
                $"{model.GetName()} has {outputSize} outputs but the {role} has labels up to {data.ClassCount - 1}.", nameof(data));
        }
    }
}
