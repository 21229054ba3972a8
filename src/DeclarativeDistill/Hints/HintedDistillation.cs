using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// Distillation with FitNets hints (Romero et al. 2015): FitNets' two stages, or one stage on the combined loss.
/// The regressors are made here, trained beside the student and thrown away: they are never part of the student,
/// so its <c>Save</c>, export and parameter count do not see them. The teachers' hint outputs are computed without
/// gradients and, when they fit in <see cref="TrainingOptions.FeatureCacheBytes"/>, once for the whole transfer set.
/// </summary>
internal static class HintedDistillation
{
    private const int Chunk = 4096;

    /// <summary>Called by <see cref="Trainer.Distill(Model, FeatureShape, int, IReadOnlyList{Model}, DistillationObjective, LabeledDataset, TrainingOptions?)"/> when the objective has hints.</summary>
    public static TrainingReport Run(Model student, FeatureShape input, int outputSize, IReadOnlyList<Model> teachers,
        DistillationObjective objective, LabeledDataset transferSet, TrainingOptions? options)
    {
        Trainer.CheckTeachers(student, teachers);
        Trainer.CheckData(student, input, outputSize, transferSet, "transfer set");
        options ??= new TrainingOptions();
        options.Validate();
        var plan = Plan.Create(student, teachers, objective.Hints);
        if (objective.HintTraining == HintTraining.TwoStages)
        {
            var hintStage = Train(plan, student, teachers, objective, transferSet, options, TrainingStage.Hints);
            var whole = Trainer.Distill(student, input, outputSize, teachers, objective with { Hints = Array.Empty<FeatureHint>() }, transferSet, options);
            return whole.WithHintStage(hintStage);
        }
        return Train(plan, student, teachers, objective, transferSet, options, TrainingStage.Whole);
    }

    /// <summary>
    /// FitNets' first stage (<paramref name="stage"/> is <see cref="TrainingStage.Hints"/>): the student's layers up to the
    /// deepest guided one and the regressors, on the hint terms. Otherwise the combined loss: the whole student and the
    /// regressors, on the objective's soft and hard terms plus the hint terms.
    /// </summary>
    private static TrainingReport Train(Plan plan, Model student, IReadOnlyList<Model> teachers, DistillationObjective objective,
        LabeledDataset transferSet, TrainingOptions options, TrainingStage stage)
    {
        bool hintsOnly = stage == TrainingStage.Hints;
        int epochs = hintsOnly ? options.HintEpochs ?? options.Epochs : options.Epochs;
        var device = options.Device ?? CPU;
        bool onCpu = device.type == DeviceType.CPU;
        student.to(device);
        var wereTraining = Trainer.TeachersForTeaching(teachers, device);

        torch.manual_seed(options.Seed); // the regressors' initial weights, the same on every run of these options
        var regressors = plan.Hints.Select(h => h.Regressor.Create()).ToArray();
        var wrapper = new HintedStudent(student, regressors);
        wrapper.to(device);
        var weights = plan.Hints.Select(h => h.Weight.ToScalar()).ToArray();
        using var terms = objective.Terms();
        var signal = TeacherSignal.Objective(terms);
        Tensor[]? cachedHints = null;
        Tensor? cachedLogits = null, offsets = null;
        try
        {
            plan.CheckShapes(student, teachers, regressors, transferSet, device);
            var preparation = Stopwatch.StartNew();
            if (options.CacheTeacherOutputs && options.Augment is null && epochs > 0
                && plan.HintBytesPerExample(student, teachers, transferSet, device) * transferSet.Count <= options.FeatureCacheBytes)
            {
                (cachedHints, var logits) = TeacherOutputsInChunks(plan, teachers, objective.Temperature, transferSet.Features, device, withLogits: !hintsOnly);
                if (logits is not null)
                {
                    using (logits)
                    using (no_grad())
                    {
                        (cachedLogits, offsets) = signal.Cache(logits);
                    }
                }
            }

            var guided = plan.Hints.Select(h => h.StudentLayer).ToArray();
            var studentLayers = hintsOnly ? guided : guided.Append(plan.StudentLogits).ToArray();
            var run = hintsOnly
                ? options with
                {
                    Epochs = epochs,
                    CheckpointDirectory = options.CheckpointDirectory is { } directory ? Path.Combine(directory, "hints") : null,
                    LearningRate = options.HintLearningRate ?? options.LearningRate,
                }
                : options;
            var trainable = hintsOnly
                ? plan.LowerParameters(student).Concat(regressors.SelectMany(r => r.parameters())).ToList()
                : null;
            string fingerprint = Trainer.Fingerprint(hintsOnly ? "Hint stage" : "Distill with hints", wrapper, transferSet, run)
                + FormattableString.Invariant($"; teachers {string.Join(", ", teachers.Select(t => t.GetName()))} at T = {objective.Temperature}; hints {string.Join("; ", plan.Hints)}");

            return TrainingLoop.Run(wrapper, transferSet, run, fingerprint, preparation.Elapsed, device, batch =>
            {
                var outputs = ((IFeatureLayers)student).Features(batch.Features, studentLayers);
                Tensor[] targets;
                Tensor? teacherLogits = null;
                if (cachedHints is null)
                {
                    (targets, teacherLogits) = TeacherOutputs(plan, teachers, objective.Temperature, batch.Features, withLogits: !hintsOnly && cachedLogits is null);
                }
                else
                {
                    var rows = onCpu ? batch.Indices : batch.Indices.to(device);
                    targets = cachedHints.Select(h => h.index_select(0, rows)).ToArray();
                }
                var hintTerms = new Tensor[plan.Hints.Count];
                for (int i = 0; i < hintTerms.Length; i++)
                {
                    var regressed = regressors[i].call(outputs[i]);
                    var target = plan.Hints[i].Regressor.IsConvolution ? targets[i] : targets[i].flatten(1);
                    hintTerms[i] = nn.functional.mse_loss(regressed, target).mul_(weights[i]);
                }
                if (hintsOnly)
                {
                    return BatchLoss.HintsOnly(hintTerms);
                }
                var studentLogits = outputs[^1];
                var distillation = cachedLogits is null
                    ? signal.FromLogits(studentLogits, teacherLogits!, batch)
                    : signal.FromCache(studentLogits, cachedLogits.index_select(0, onCpu ? batch.Indices : batch.Indices.to(device)), batch);
                return distillation.WithHints(hintTerms);
            }, offsets, trainable, stage);
        }
        finally
        {
            foreach (var tensor in cachedHints ?? Array.Empty<Tensor>())
            {
                tensor.Dispose();
            }
            cachedLogits?.Dispose();
            offsets?.Dispose();
            foreach (var weight in weights)
            {
                weight.Dispose();
            }
            foreach (var regressor in regressors)
            {
                regressor.Dispose();
            }
            student.eval();
            Trainer.RestoreModes(teachers, wereTraining);
        }
    }

    /// <summary>
    /// The hint teachers' outputs for a batch, one per hint, and with <paramref name="withLogits"/> the teachers' combined
    /// logits (see <see cref="KnowledgeDistillation.EnsembleLogits"/>), each teacher running once, without gradients.
    /// Intermediate tensors go to the caller's dispose scope.
    /// </summary>
    private static (Tensor[] Hints, Tensor? Logits) TeacherOutputs(Plan plan, IReadOnlyList<Model> teachers, double temperature, Tensor features,
        bool withLogits)
    {
        using var _ = no_grad();
        var hints = new Tensor[plan.Hints.Count];
        var logits = new Tensor[teachers.Count];
        for (int t = 0; t < teachers.Count; t++)
        {
            var asked = plan.HintsOf(t);
            if (asked.Count == 0)
            {
                if (withLogits)
                {
                    logits[t] = teachers[t].call(features);
                }
                continue;
            }
            var layers = asked.Select(i => plan.Hints[i].TeacherLayer);
            var outputs = ((IFeatureLayers)teachers[t]).Features(features, (withLogits ? layers.Append(plan.TeacherLogits[t]) : layers).ToArray());
            for (int k = 0; k < asked.Count; k++)
            {
                hints[asked[k]] = outputs[k];
            }
            if (withLogits)
            {
                logits[t] = outputs[^1];
            }
        }
        return (hints, withLogits ? KnowledgeDistillation.EnsembleLogits(logits, temperature) : null);
    }

    /// <summary><see cref="TeacherOutputs"/> for a whole set, in chunks, on <paramref name="device"/>.</summary>
    private static (Tensor[] Hints, Tensor? Logits) TeacherOutputsInChunks(Plan plan, IReadOnlyList<Model> teachers, double temperature,
        Tensor features, Device device, bool withLogits)
    {
        long count = features.shape[0];
        var hintChunks = plan.Hints.Select(_ => new List<Tensor>()).ToArray();
        var logitChunks = new List<Tensor>();
        try
        {
            for (long start = 0; start < count; start += Chunk)
            {
                using var scope = NewDisposeScope();
                var (hints, logits) = TeacherOutputs(plan, teachers, temperature, features.narrow(0, start, Math.Min(Chunk, count - start)).to(device), withLogits);
                for (int i = 0; i < hints.Length; i++)
                {
                    hintChunks[i].Add(hints[i].MoveToOuterDisposeScope());
                }
                if (logits is not null)
                {
                    logitChunks.Add(logits.MoveToOuterDisposeScope());
                }
            }
            return (hintChunks.Select(c => cat(c, 0)).ToArray(), withLogits ? cat(logitChunks, 0) : null);
        }
        finally
        {
            foreach (var chunk in hintChunks.SelectMany(c => c).Concat(logitChunks))
            {
                chunk.Dispose();
            }
        }
    }

    /// <summary>The hints, checked against the networks they name, and what training needs to know of them.</summary>
    private sealed class Plan
    {
        private Plan(IReadOnlyList<FeatureHint> hints, string studentLogits, string[] teacherLogits, int deepestGuided, IReadOnlyList<string> studentLayers)
        {
            Hints = hints;
            StudentLogits = studentLogits;
            TeacherLogits = teacherLogits;
            DeepestGuided = deepestGuided;
            StudentLayers = studentLayers;
        }

        public IReadOnlyList<FeatureHint> Hints { get; }

        /// <summary>The student's last layer, whose output is the logits.</summary>
        public string StudentLogits { get; }

        /// <summary>Per teacher, its last layer (null for a teacher that gives no hint and is called as a whole).</summary>
        public string[] TeacherLogits { get; }

        /// <summary>The position of the deepest guided layer in the student's layers.</summary>
        public int DeepestGuided { get; }

        public IReadOnlyList<string> StudentLayers { get; }

        public static Plan Create(Model student, IReadOnlyList<Model> teachers, IReadOnlyList<FeatureHint> hints)
        {
            if (student is not IFeatureLayers studentLayers)
            {
                throw new ArgumentException(
                    $"Hints read the student's layers, but {student.GetName()} does not implement IFeatureLayers (every network generated from Layers does).", nameof(student));
            }
            var teacherLogits = new string[teachers.Count];
            int deepest = -1;
            foreach (var hint in hints)
            {
                if (hint.Teacher >= teachers.Count)
                {
                    throw new ArgumentException($"The hint {hint} names teacher {hint.Teacher}, but the distillation has {teachers.Count}.", nameof(hints));
                }
                var teacher = teachers[hint.Teacher];
                if (teacher is not IFeatureLayers teacherLayers)
                {
                    throw new ArgumentException(
                        $"The hint {hint} reads a layer of {teacher.GetName()}, which does not implement IFeatureLayers (every network generated from Layers does).", nameof(hints));
                }
                int guided = IndexOf(studentLayers.FeatureLayers, hint.StudentLayer, student.GetName(), "student");
                IndexOf(teacherLayers.FeatureLayers, hint.TeacherLayer, teacher.GetName(), "teacher");
                deepest = Math.Max(deepest, guided);
                teacherLogits[hint.Teacher] = teacherLayers.FeatureLayers[^1];
            }
            return new Plan(hints, studentLayers.FeatureLayers[^1], teacherLogits, deepest, studentLayers.FeatureLayers);
        }

        /// <summary>The positions of the hints that teacher <paramref name="teacher"/> gives.</summary>
        public List<int> HintsOf(int teacher) => Enumerable.Range(0, Hints.Count).Where(i => Hints[i].Teacher == teacher).ToList();

        /// <summary>The parameters of the student's layers up to and including the deepest guided one: FitNets' first stage trains these.</summary>
        public IEnumerable<TorchSharp.Modules.Parameter> LowerParameters(Model student)
        {
            var lower = new HashSet<string>(StudentLayers.Take(DeepestGuided + 1), StringComparer.Ordinal);
            var parameters = student.named_children().Where(c => lower.Contains(c.name)).SelectMany(c => c.module.parameters()).ToList();
            if (parameters.Count == 0)
            {
                throw new ArgumentException(
                    $"{student.GetName()} has no trainable layer up to {StudentLayers[DeepestGuided]}: the hint stage would train nothing but the regressors.", nameof(student));
            }
            return parameters;
        }

        /// <summary>Runs one example through both sides of every hint and checks that the regressor makes the hint's shape.</summary>
        public void CheckShapes(Model student, IReadOnlyList<Model> teachers, IReadOnlyList<Model> regressors, LabeledDataset data, Device device)
        {
            using var scope = NewDisposeScope();
            var example = data.Features.narrow(0, 0, Math.Min(2, (long)data.Count)).to(device);
            Metrics.WithEvalMode(student, () =>
            {
                var guided = ((IFeatureLayers)student).Features(example, Hints.Select(h => h.StudentLayer).ToArray());
                for (int i = 0; i < Hints.Count; i++)
                {
                    var hint = Hints[i];
                    var target = ((IFeatureLayers)teachers[hint.Teacher]).Features(example, hint.TeacherLayer)[0];
                    Tensor regressed;
                    try
                    {
                        regressed = regressors[i].call(guided[i]);
                    }
                    catch (Exception e) when (e is ExternalException or ArgumentException)
                    {
                        throw new ArgumentException(
                            $"The hint's regressor ({hint.Regressor}) cannot read {student.GetName()}'s {hint.StudentLayer}, which gives {Describe(guided[i])}.", nameof(teachers), e);
                    }
                    bool fits = hint.Regressor.IsConvolution
                        ? regressed.shape.SequenceEqual(target.shape)
                        : regressed.shape[1] == target.flatten(1).shape[1];
                    if (!fits)
                    {
                        throw new ArgumentException(
                            $"The hint's regressor ({hint.Regressor}) turns {student.GetName()}'s {hint.StudentLayer} ({Describe(guided[i])}) into {Describe(regressed)}, " +
                            $"but {teachers[hint.Teacher].GetName()}'s {hint.TeacherLayer} gives {Describe(target)}.", nameof(teachers));
                    }
                }
            });
        }

        /// <summary>Bytes of float32 hint outputs per example, summed over hints: what caching them costs per example.</summary>
        public long HintBytesPerExample(Model student, IReadOnlyList<Model> teachers, LabeledDataset data, Device device)
        {
            using var scope = NewDisposeScope();
            var example = data.Features.narrow(0, 0, 1).to(device);
            long elements = 0;
            using (no_grad())
            {
                foreach (var hint in Hints)
                {
                    elements += ((IFeatureLayers)teachers[hint.Teacher]).Features(example, hint.TeacherLayer)[0].numel();
                }
            }
            return elements * sizeof(float);
        }

        private static string Describe(Tensor batch) => string.Join("x", batch.shape.Skip(1));

        private static int IndexOf(IReadOnlyList<string> layers, string name, string network, string role)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                if (layers[i] == name)
                {
                    return i;
                }
            }
            throw new ArgumentException($"The {role} {network} has no layer '{name}'; its layers are {string.Join(", ", layers)}.", "hints");
        }
    }

    /// <summary>
    /// The student's layers and the regressors as one module, for the training loop: its parameters, buffers, device
    /// moves, modes and checkpoints cover both. The student's layers keep their names, so a pruning mask still binds.
    /// </summary>
    private sealed class HintedStudent : Model
    {
        public HintedStudent(Model student, IReadOnlyList<Model> regressors)
            : base(student.GetName())
        {
            foreach (var (name, module) in student.named_children())
            {
                register_module(name, module);
            }
            register_module("hint_regressors", nn.ModuleList(regressors.ToArray()));
        }

        public override Tensor forward(Tensor input) =>
            throw new NotSupportedException("The training loop computes the loss through the student's Features.");
    }
}
