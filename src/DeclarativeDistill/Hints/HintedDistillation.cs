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
/// Distillation with FitNets hints (Romero et al. 2015): FitNets' two stages, or one stage on the combined loss.
/// The regressors are made here, trained beside the student and thrown away: they are never part of the student,
/// so its <c>Save</c>, export and parameter count do not see them. The teachers' hint outputs are computed without
/// gradients and, when they fit in <see cref="TrainingOptions.FeatureCacheBytes"/>, once for the whole transfer set.
/// </summary>
internal static class HintedDistillation
{
    /// <summary>Called by <see cref="Trainer.Distill(Model, FeatureShape, int, IReadOnlyList{Model}, DistillationObjective, LabeledDataset, TrainingOptions?)"/> when the objective has hints.</summary>
    public static TrainingReport Run(Model student, FeatureShape input, int outputSize, IReadOnlyList<Model> teachers,
        DistillationObjective objective, LabeledDataset transferSet, TrainingOptions? options)
    {
        Trainer.CheckTeachers(student, teachers);
        Trainer.CheckData(student, input, outputSize, transferSet, "transfer set");
        options ??= new TrainingOptions();
        options.Validate();
        var plan = HintPlan.Create(student, teachers, objective.Hints);
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
    private static TrainingReport Train(HintPlan plan, Model student, IReadOnlyList<Model> teachers, DistillationObjective objective,
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
            long hintBytesPerExample = plan.CheckShapes(student, teachers, regressors, transferSet, device);
            var preparation = Stopwatch.StartNew();
            if (options.CacheTeacherOutputs && options.Augment is null && epochs > 0
                && hintBytesPerExample * transferSet.Count <= options.FeatureCacheBytes)
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
    private static (Tensor[] Hints, Tensor? Logits) TeacherOutputs(HintPlan plan, IReadOnlyList<Model> teachers, double temperature, Tensor features,
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
    private static (Tensor[] Hints, Tensor? Logits) TeacherOutputsInChunks(HintPlan plan, IReadOnlyList<Model> teachers, double temperature,
        Tensor features, Device device, bool withLogits)
    {
        var outputs = RowChunks.Concatenate(features, device, input =>
        {
            var (hints, logits) = TeacherOutputs(plan, teachers, temperature, input, withLogits);
            return logits is null ? hints : hints.Append(logits).ToArray();
        });
        return withLogits ? (outputs[..^1], outputs[^1]) : (outputs, null);
    }
}
