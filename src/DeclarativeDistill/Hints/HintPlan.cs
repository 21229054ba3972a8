using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>The hints, checked against the networks they name, and what training needs to know of them.</summary>
internal sealed class HintPlan
{
    private HintPlan(IReadOnlyList<FeatureHint> hints, string studentLogits, string[] teacherLogits, int deepestGuided, IReadOnlyList<string> studentLayers)
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

    public static HintPlan Create(Model student, IReadOnlyList<Model> teachers, IReadOnlyList<FeatureHint> hints)
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
        return new HintPlan(hints, studentLayers.FeatureLayers[^1], teacherLogits, deepest, studentLayers.FeatureLayers);
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

    /// <summary>
    /// Runs the first examples through both sides of every hint and checks that each regressor makes its hint's shape.
    /// Returns what caching the teachers' hint outputs costs per example: float32 bytes, summed over hints.
    /// </summary>
    public long CheckShapes(Model student, IReadOnlyList<Model> teachers, IReadOnlyList<Model> regressors, LabeledDataset data, Device device)
    {
        using var scope = NewDisposeScope();
        long elements = 0;
        var example = data.Features.narrow(0, 0, Math.Min(2, (long)data.Count)).to(device);
        Metrics.WithEvalMode(student, () =>
        {
            var guided = ((IFeatureLayers)student).Features(example, Hints.Select(h => h.StudentLayer).ToArray());
            for (int i = 0; i < Hints.Count; i++)
            {
                var hint = Hints[i];
                var target = ((IFeatureLayers)teachers[hint.Teacher]).Features(example, hint.TeacherLayer)[0];
                elements += target[0].numel();
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
