using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The entry points behind the generated <c>Fit</c> and <c>Distill</c> methods. Generated code binds the
/// typed parts (architecture, sizes, the objective with its declared terms); this class checks the data,
/// places models on the device, runs the stages (FitNets' hint stage, then the whole student; or one stage),
/// each an objective of terms run by the one loop that <c>Fit</c> shares (batching, SGD and its schedule,
/// teacher-output caching, progress, cancellation, checkpoints). It can also be called directly with
/// hand-written modules.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/>, which reads vectors of <paramref name="inputSize"/> features, on hard labels with cross-entropy.</summary>
    public static TrainingReport Fit(Model model, int inputSize, int outputSize, DataSource train, TrainingOptions? options = null) =>
        Fit(model, new FeatureShape(inputSize), outputSize, train, options);

    /// <summary>
    /// Trains <paramref name="model"/> on hard labels with cross-entropy. The model reads examples of
    /// <paramref name="input"/> (the generated <c>InputShape</c>); the training set must match it.
    /// </summary>
    public static TrainingReport Fit(Model model, FeatureShape input, int outputSize, DataSource train, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(model, input, outputSize, train, "training set");
        CheckLabelled(train, "Fit trains on labels");
        AdoptClassNames(model, train.ClassNames, train.Origin);
        AdoptTokenizer(model, train.Tokenizer);
        options ??= new TrainingOptions();
        options.Validate();
        return Train("Fit", model, outputSize, Array.Empty<Model>(), new DistillationTerm[] { new HardLabelTerm(1) }, train, options, TrainingStage.Whole);
    }

    /// <summary>
    /// Trains <paramref name="student"/> on <paramref name="transferSet"/> to minimise <paramref name="objective"/>, the sum of
    /// its terms (<see cref="DistillationObjective.AllTerms"/>), against the teachers' outputs (several teachers: an ensemble,
    /// see <see cref="KnowledgeDistillation.EnsembleLogits"/>). The teachers run in evaluation mode without gradients and are
    /// left in the mode they were in. When <see cref="TrainingOptions.CacheTeacherOutputs"/> applies, what each term keeps of
    /// the teachers' outputs is computed once and reused every epoch. With hints and <see cref="HintTraining.TwoStages"/>,
    /// FitNets' hint stage runs first. Generated students call this.
    /// </summary>
    public static TrainingReport Distill(
        Model student,
        FeatureShape input,
        int outputSize,
        IReadOnlyList<Model> teachers,
        DistillationObjective objective,
        DataSource transferSet,
        TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var terms = objective.AllTerms;
        if (terms.Count == 0)
        {
            throw new ArgumentException(
                "The objective has no term to learn from: Alpha and Beta are 0, and it has no hints and no other terms.", nameof(objective));
        }
        CheckLabels(transferSet, terms, objective);
        CheckTeachers(student, teachers);
        CheckData(student, input, outputSize, transferSet, "transfer set");
        AdoptClassNames(student, transferSet.ClassNames, transferSet.Origin);
        AdoptTokenizer(student, transferSet.Tokenizer);
        foreach (var teacher in teachers)
        {
            AdoptClassNames(student, (teacher as IGeneratedNetwork)?.ClassNames, $"teacher {teacher.GetName()}");
        }
        options ??= new TrainingOptions();
        options.Validate();

        var hints = terms.OfType<FeatureHint>().ToList();
        if (hints.Count == 0 || objective.HintTraining == HintTraining.Combined)
        {
            return Train(hints.Count == 0 ? "Distill" : "Distill with hints", student, outputSize, teachers, terms, transferSet, options, TrainingStage.Whole);
        }
        // FitNets' first stage: the student up to its deepest guided layer, and the regressors, on the hints alone.
        var hintOptions = options with
        {
            Epochs = options.HintEpochs ?? options.Epochs,
            CheckpointDirectory = options.CheckpointDirectory is { } directory ? Path.Combine(directory, "hints") : null,
            LearningRate = options.HintLearningRate ?? options.LearningRate,
        };
        var hintStage = Train("Hint stage", student, outputSize, teachers, hints, transferSet, hintOptions, TrainingStage.Hints,
            LowerLayers(student, hints));
        var rest = terms.Where(t => t is not FeatureHint).ToList();
        if (rest.Count == 0)
        {
            return hintStage;
        }
        return Train("Distill", student, outputSize, teachers, rest, transferSet, options, TrainingStage.Whole).WithHintStage(hintStage);
    }

    /// <summary>As the overload with a <see cref="FeatureShape"/>, for a student that reads vectors of <paramref name="inputSize"/> features.</summary>
    public static TrainingReport Distill(
        Model student,
        int inputSize,
        int outputSize,
        IReadOnlyList<Model> teachers,
        DistillationObjective objective,
        DataSource transferSet,
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
        DataSource transferSet,
        Func<Tensor, Tensor, Tensor, Tensor> loss,
        TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        KnowledgeDistillation.CheckTemperature(temperature);
        CheckLabelled(transferSet, "a loss of your own receives the labels");
        CheckTeachers(student, teachers);
        CheckData(student, new FeatureShape(inputSize), outputSize, transferSet, "transfer set");
        options ??= new TrainingOptions();
        options.Validate();
        return Train("Distill with a loss of your own", student, outputSize, teachers, new DistillationTerm[] { new CustomLossTerm(loss, temperature) },
            transferSet, options, TrainingStage.Whole);
    }

    /// <summary>
    /// One stage: <paramref name="terms"/> on <paramref name="data"/>, by the loop that every <c>Fit</c> and <c>Distill</c>
    /// runs. The terms' teacher sides are cached when the options allow it; the terms' adapters train with the student's
    /// parameters (all of them, or those <paramref name="trainable"/> selects) and are dropped afterwards.
    /// </summary>
    private static TrainingReport Train(string kind, Model student, int outputSize, IReadOnlyList<Model> teachers, IReadOnlyList<DistillationTerm> terms,
        DataSource data, TrainingOptions options, TrainingStage stage, IReadOnlyList<TorchSharp.Modules.Parameter>? trainable = null)
    {
        var device = options.Device ?? CPU;
        student.to(device);
        var wereTraining = TeachersForTeaching(teachers, device);
        int threads = get_num_threads();
        if (options.Threads is { } wanted)
        {
            set_num_threads(wanted);
        }
        try
        {
            using var run = ObjectiveRun.Start(terms, new TermSetup(student, teachers, outputSize, options.Seed, device));
            var adapters = run.Adapters;
            var trained = adapters.Count == 0 ? student : new StudentWithAdapters(student, adapters);
            trained.to(device);

            var preparation = Stopwatch.StartNew();
            if (run.ReadsTeachers || adapters.Count > 0)
            {
                long bytesPerExample = run.Check(data, device);
                // Teacher sides of layers count against the feature budget; logits are always small enough.
                bool fits = (!terms.Any(t => t.TeacherLayers.Any()) || bytesPerExample * data.Count <= options.FeatureCacheBytes)
                    && (data.InMemory is not null || bytesPerExample * data.Count <= options.MemoryBudgetBytes); // data on disk: within its budget
                if (run.ReadsTeachers && options.TeacherOutputs is { } store)
                {
                    run.UseStore(store, data);
                }
                else if (run.ReadsTeachers && options.CacheTeacherOutputs && options.Augment is null && options.Epochs > 0 && fits)
                {
                    run.CacheTeacherSides(data,
                        PhaseProgress.For(options.Progress, TrainingPhases.CachingTeacherOutputs, preparation, options.ProgressIntervalBatches, options.Epochs, stage));
                }
            }
            var warnings = new List<string>();
            if (stage != TrainingStage.Hints && DataScale.Check(student, data) is { } scale)
            {
                warnings.Add(scale);
                options.Progress?.Report(new TrainingProgress(0, options.Epochs, 0, 0, double.NaN, 0, preparation.Elapsed, TimeSpan.Zero)
                {
                    Phase = TrainingPhases.CheckingData,
                    Message = scale,
                    Stage = stage,
                });
            }
            string fingerprint = Fingerprint.Of(kind, trained, data, options, teachers, terms);
            var parameters = trainable is null ? null : trainable.Concat(adapters.SelectMany(a => a.parameters())).ToList();
            var report = TrainingLoop.Run(trained, data, options, fingerprint, preparation.Elapsed, device, run.Names, run.Loss, run.Offsets,
                parameters, stage, run.StartEpoch);
            report.Warnings = warnings;
            return report;
        }
        finally
        {
            student.eval();
            RestoreModes(teachers, wereTraining);
            if (options.Threads is not null)
            {
                set_num_threads(threads);
            }
        }
    }

    /// <summary>The parameters of the student's layers up to and including the deepest guided one: FitNets' first stage trains these.</summary>
    private static IReadOnlyList<TorchSharp.Modules.Parameter> LowerLayers(Model student, IReadOnlyList<FeatureHint> hints)
    {
        if (student is not IFeatureLayers layered)
        {
            throw new ArgumentException(
                $"Hints read the student's layers, but {student.GetName()} does not implement IFeatureLayers (every network generated from Layers does).", nameof(student));
        }
        var layers = layered.FeatureLayers;
        int deepest = hints.Max(h => layers.ToList().IndexOf(h.StudentLayer));
        if (deepest < 0)
        {
            throw new ArgumentException($"The student {student.GetName()} has no layer '{hints[0].StudentLayer}'; its layers are {string.Join(", ", layers)}.", "hints");
        }
        var lower = new HashSet<string>(layers.Take(deepest + 1), StringComparer.Ordinal);
        var parameters = student.named_children().Where(c => lower.Contains(c.name)).SelectMany(c => c.module.parameters()).ToList();
        if (parameters.Count == 0)
        {
            throw new ArgumentException(
                $"{student.GetName()} has no trainable layer up to {layers[deepest]}: the hint stage would train nothing but the regressors.", nameof(student));
        }
        return parameters;
    }

    /// <summary>A transfer set without labels serves only terms that do not read them; the message says what to change.</summary>
    private static void CheckLabels(DataSource? data, IReadOnlyList<DistillationTerm> terms, DistillationObjective objective)
    {
        if (data is not { HasLabels: false })
        {
            return;
        }
        var reading = terms.Where(t => t.NeedsLabels).Select(t => t.Name).ToList();
        if (reading.SequenceEqual(new[] { "hard" }))
        {
            throw new ArgumentException(
                $"The transfer set has no labels, but the objective weights the hard-label term by Beta = {objective.Beta:G6}. " +
                "Distil on the teachers' outputs alone with Beta = 0 (for a generated student: objective: Student.Objective with { Beta = 0 }), or give a labelled transfer set.",
                "transferSet");
        }
        if (reading.Count > 0)
        {
            throw new ArgumentException(
                $"The transfer set has no labels, but the objective's terms {string.Join(", ", reading)} read them" +
                (reading.Contains("hard") ? " (the hard labels weigh Beta; set it to 0 to drop them)" : "") + ". Give a labelled transfer set.",
                "transferSet");
        }
    }

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

    /// <summary>
    /// A generated network without class names takes those of its data (or its teacher's): it then predicts names. Names
    /// that differ from the network's own are refused, since class i would mean something else.
    /// </summary>
    /// <summary>A text network trained on encoded texts keeps their tokenizer, so that it classifies strings as they were encoded.</summary>
    private static void AdoptTokenizer(Model model, TextTokenizer? tokenizer)
    {
        if (tokenizer is not null && model is IGeneratedNetwork network && network.Description.Input.IsTokens && network.Tokenizer() != tokenizer)
        {
            network.UseTokenizer(tokenizer);
        }
    }

    private static void AdoptClassNames(Model model, IReadOnlyList<string>? names, string origin)
    {
        if (names is null || model is not IGeneratedNetwork network)
        {
            return;
        }
        if (network.ClassNames is null)
        {
            network.ClassNames = names;
        }
        else if (!network.ClassNames.SequenceEqual(names, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"{model.GetName()} names its classes {string.Join(", ", network.ClassNames)}, but {origin} names them {string.Join(", ", names)}: class by class they must be the same.");
        }
    }

    /// <summary>Throws when <paramref name="data"/> (already checked for null) has no labels, saying <paramref name="why"/> they are needed.</summary>
    internal static void CheckLabelled(DataSource? data, string why)
    {
        if (data is { HasLabels: false })
        {
            throw new ArgumentException($"The dataset of {data.Count} examples has no labels, and {why}.", nameof(data));
        }
    }

    internal static void CheckData(Model model, FeatureShape input, int outputSize, DataSource data, string role)
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
        if (input.IsTokens && data.InMemory is { } memory)
        {
            CheckTokenIds(model, input, memory, role);
        }
    }

    /// <summary>Throws unless every feature of <paramref name="data"/> is a whole token id below the network's vocabulary.</summary>
    private static void CheckTokenIds(Model model, FeatureShape input, LabeledDataset data, string role)
    {
        using var scope = torch.NewDisposeScope();
        var ids = data.Features.reshape(data.Count, -1);
        var bad = ids.lt(0).logical_or(ids.ge(input.Vocabulary)).logical_or(ids.ne(ids.round()));
        if (bad.any().item<bool>())
        {
            long flat = bad.flatten().nonzero()[0, 0].item<long>();
            long row = flat / input.Size, column = flat % input.Size;
            float value = ids[row, column].item<float>();
            throw new ArgumentException(
                FormattableString.Invariant($"{model.GetName()} reads token ids below {input.Vocabulary} ({input}), but example {row} of the {role} has {value} at position {column}."),
                nameof(data));
        }
    }
}
