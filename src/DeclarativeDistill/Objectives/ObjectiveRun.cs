using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The terms of one training stage, running: what the student and the teachers must compute for them (each network runs
/// once per batch for all terms, and only as far as the deepest layer read), the teachers' side of every term (for each
/// batch, or cached once for the whole transfer set), and the batch's loss with its terms.
/// </summary>
internal sealed class ObjectiveRun : IDisposable
{
    private readonly IReadOnlyList<TermRuntime> runtimes;
    private readonly Model student;
    private readonly IReadOnlyList<Model> teachers;
    private readonly string[] studentLayers;
    private readonly string? studentLogitsLayer;
    private readonly bool studentLogits;
    private readonly TeacherPass teacherPass;
    private readonly Device device;
    private Tensor[][]? cache;
    private TeacherOutputStore? store;
    private Tensor?[] constants;

    private ObjectiveRun(IReadOnlyList<TermRuntime> runtimes, TermSetup setup)
    {
        this.runtimes = runtimes;
        student = setup.Student;
        teachers = setup.Teachers;
        var terms = runtimes.Select(r => r.Term).ToList();
        studentLayers = terms.SelectMany(t => t.StudentLayers).Distinct().ToArray();
        studentLogits = terms.Any(t => t.ReadsStudentLogits);
        studentLogitsLayer = studentLayers.Length > 0 && studentLogits ? ((IFeatureLayers)student).FeatureLayers[^1] : null;
        teacherPass = new TeacherPass(teachers,
            Enumerable.Range(0, teachers.Count)
                .Select(i => terms.SelectMany(t => t.TeacherLayers).Where(l => l.Teacher == i).Select(l => l.Layer).Distinct().ToArray())
                .ToArray(),
            terms.Any(t => t.ReadsTeacherLogits));
        constants = new Tensor?[runtimes.Count];
        device = setup.Device;
    }

    /// <summary>The terms' names, in order: the slots of every batch's loss.</summary>
    public IReadOnlyList<string> Names => runtimes.Select(r => r.Term.Name).ToList();

    /// <summary>The modules the terms train beside the student.</summary>
    public IReadOnlyList<Model> Adapters => runtimes.SelectMany(r => r.Adapters).ToList();

    /// <summary>Whether any term reads the teachers.</summary>
    public bool ReadsTeachers => teacherPass.ReadsAnything;

    /// <summary>Per term, per example (double, on the CPU), what the cached teacher side leaves out of its value; null for a term without.</summary>
    public IReadOnlyList<Tensor?> Offsets => constants;

    /// <summary>
    /// Checks that every term's layers exist, and starts the terms: the modules they train (a hint's regressor) are made
    /// from TorchSharp's global generator seeded with <see cref="TermSetup.Seed"/>, so that a run is reproducible.
    /// </summary>
    /// <exception cref="ArgumentException">A term reads a layer its network does not have, or a network that cannot show its layers.</exception>
    public static ObjectiveRun Start(IReadOnlyList<DistillationTerm> terms, TermSetup setup)
    {
        foreach (var term in terms)
        {
            foreach (string layer in term.StudentLayers)
            {
                CheckLayer(setup.Student, "student", layer, term);
            }
            foreach (var (teacher, layer) in term.TeacherLayers)
            {
                if (teacher >= setup.Teachers.Count)
                {
                    throw new ArgumentException($"The term {term.Name} names teacher {teacher}, but the distillation has {setup.Teachers.Count}.", "objective");
                }
                CheckLayer(setup.Teachers[teacher], "teacher", layer, term);
            }
        }
        torch.manual_seed(setup.Seed);
        var runtimes = new List<TermRuntime>();
        try
        {
            foreach (var term in terms)
            {
                runtimes.Add(term.Start(setup));
            }
        }
        catch
        {
            runtimes.ForEach(r => r.Dispose());
            throw;
        }
        return new ObjectiveRun(runtimes, setup);
    }

    /// <summary>
    /// Runs the first two examples of <paramref name="data"/> through every term (in evaluation mode, without gradients),
    /// so that a term whose two sides do not fit (a hint's regressor and the hint) fails before any weight moves, naming the
    /// shapes. Returns what caching the terms' teacher sides costs per example: float32 bytes.
    /// </summary>
    public long Check(DataSource data, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int count = Math.Min(2, data.Count);
        var (features, labels) = data.ReadRange(0, count);
        var probe = features.to(device);
        var probeLabels = labels?.to(device);
        var indices = arange(count, device: device);
        long bytes = 0;
        Metrics.WithEvalMode(student, () =>
        {
            var outputs = StudentForward(probe);
            var teacherOutputs = TeacherForward(probe);
            foreach (var runtime in runtimes)
            {
                var side = runtime.TeacherSide(teacherOutputs);
                bytes += side.Sum(t => t[0].numel() * t.element_size());
                foreach (var adapter in runtime.Adapters)
                {
                    adapter.eval();
                }
                var batch = new TermBatch(outputs, side, probeLabels, indices, (int)count);
                try
                {
                    runtime.Check(batch);
                    runtime.Compute(batch);
                }
                catch (Exception e) when (e is ExternalException)
                {
                    throw new ArgumentException($"The term {runtime.Term.Name} cannot compare {student.GetName()}'s outputs with its teachers': {e.Message}", "objective", e);
                }
                finally
                {
                    foreach (var adapter in runtime.Adapters)
                    {
                        adapter.train();
                    }
                }
            }
        });
        return bytes;
    }

    /// <summary>Computes every term's teacher side once for the whole set, in chunks, without gradients, on the run's device.</summary>
    /// <param name="data">The transfer set.</param>
    /// <param name="chunkDone">Called after each chunk with (chunks done, chunks in all), for progress.</param>
    public void CacheTeacherSides(DataSource data, Action<int, int>? chunkDone = null)
    {
        // Every chunk gives each term the same number of tensors: its side, then its constant if it has one.
        var sides = new int[runtimes.Count];
        var withConstant = new bool[runtimes.Count];
        var flat = RowChunks.Concatenate(data, device, chunk =>
        {
            var outputs = TeacherForward(chunk);
            var all = new List<Tensor>();
            for (int k = 0; k < runtimes.Count; k++)
            {
                var side = runtimes[k].TeacherSide(outputs);
                var constant = runtimes[k].Constant(outputs);
                (sides[k], withConstant[k]) = (side.Length, constant is not null);
                all.AddRange(side);
                if (constant is not null)
                {
                    all.Add(constant);
                }
            }
            return all;
        }, chunkDone);
        cache = new Tensor[runtimes.Count][];
        int next = 0;
        for (int k = 0; k < runtimes.Count; k++)
        {
            cache[k] = flat.Skip(next).Take(sides[k]).ToArray();
            next += sides[k];
            if (withConstant[k])
            {
                constants[k] = flat[next++].cpu().to_type(ScalarType.Float64);
            }
        }
    }

    /// <summary>Reads the teachers' outputs from <paramref name="outputs"/> instead of running the teachers, once it is checked to serve this run.</summary>
    public void UseStore(TeacherOutputStore outputs, DataSource data)
    {
        outputs.CheckServes(teacherPass, teachers, data);
        store = outputs;
    }

    /// <summary>The weighted terms of a batch and their sum. Intermediate tensors go to the caller's dispose scope.</summary>
    public BatchLoss Loss(TrainingLoop.Batch batch)
    {
        var outputs = StudentForward(batch.Features);
        TeacherOutputs? teacherOutputs = null;
        if (cache is null && ReadsTeachers)
        {
            using var _ = no_grad();
            teacherOutputs = store is null
                ? TeacherForward(batch.Features)
                : store.Read(batch.Indices.data<long>().ToArray(), teachers.Count, device);
        }
        var rows = cache is null || device.type == DeviceType.CPU ? batch.Indices : batch.Indices.to(device);
        var values = new Tensor[runtimes.Count];
        Tensor? total = null;
        for (int k = 0; k < runtimes.Count; k++)
        {
            IReadOnlyList<Tensor> side;
            Tensor? constant = null;
            if (cache is not null)
            {
                side = cache[k].Select(t => t.index_select(0, rows)).ToArray();
            }
            else if (teacherOutputs is not null)
            {
                using (no_grad())
                {
                    side = runtimes[k].TeacherSide(teacherOutputs);
                    constant = runtimes[k].Constant(teacherOutputs);
                }
            }
            else
            {
                side = Array.Empty<Tensor>();
            }
            var value = runtimes[k].Compute(new TermBatch(outputs, side, batch.Labels, batch.Indices, batch.Size));
            if (constant is not null)
            {
                // Computed for this batch, the teachers' part of the value is added to it (it has no gradient).
                value = value.add(constant.mean().to_type(value.dtype).to(value.device));
            }
            values[k] = value;
            total = total is null ? value : total.add(value);
        }
        return new BatchLoss(total ?? zeros(Array.Empty<long>(), device: batch.Features.device), values);
    }

    /// <summary>Tells the terms an epoch (from 1) begins.</summary>
    public void StartEpoch(int epoch, int epochs)
    {
        foreach (var runtime in runtimes)
        {
            runtime.StartEpoch(epoch, epochs);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in (cache ?? Array.Empty<Tensor[]>()).SelectMany(c => c).Concat(constants.Where(c => c is not null).Select(c => c!)))
        {
            tensor.Dispose();
        }
        foreach (var runtime in runtimes)
        {
            runtime.Dispose();
        }
    }

    /// <summary>The student's outputs the terms read: the logits by <c>call</c> when no layer is read, else one pass of <c>Features</c>.</summary>
    private StudentOutputs StudentForward(Tensor features)
    {
        if (studentLayers.Length == 0)
        {
            return new StudentOutputs(studentLogits ? student.call(features) : null, new Dictionary<string, Tensor>());
        }
        var asked = studentLogitsLayer is null ? studentLayers : studentLayers.Append(studentLogitsLayer).ToArray();
        var outputs = ((IFeatureLayers)student).Features(features, asked);
        var layers = new Dictionary<string, Tensor>();
        for (int i = 0; i < studentLayers.Length; i++)
        {
            layers[studentLayers[i]] = outputs[i];
        }
        return new StudentOutputs(studentLogitsLayer is null ? null : outputs[^1], layers);
    }

    /// <summary>The teachers' outputs the terms read, each teacher running once and only as far as the deepest layer read.</summary>
    private TeacherOutputs TeacherForward(Tensor features) => teacherPass.Run(features);

    private static void CheckLayer(Model network, string role, string layer, DistillationTerm term)
    {
        if (network is not IFeatureLayers layered)
        {
            throw new ArgumentException(
                $"The term {term.Name} reads the {role}'s layer {layer}, but {network.GetName()} does not implement IFeatureLayers (every network generated from Layers does).",
                "objective");
        }
        if (!layered.FeatureLayers.Contains(layer))
        {
            throw new ArgumentException(
                $"The {role} {network.GetName()} has no layer '{layer}'; its layers are {string.Join(", ", layered.FeatureLayers)}. The term {term.Name} reads it.",
                "objective");
        }
    }
}
