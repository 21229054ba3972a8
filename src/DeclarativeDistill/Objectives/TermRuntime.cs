using System;
using System.Collections.Generic;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// A term for one run (<see cref="DistillationTerm.Start"/>): its native scalars, the modules it trains beside the student
/// (a hint's regressor), what it keeps of the teachers' outputs per example, and its weighted value for a batch.
/// </summary>
internal abstract class TermRuntime : IDisposable
{
    protected TermRuntime(DistillationTerm term) => Term = term;

    public DistillationTerm Term { get; }

    /// <summary>Modules whose parameters train with the student's (not part of it: its Save and export never see them).</summary>
    public virtual IReadOnlyList<Model> Adapters => Array.Empty<Model>();

    /// <summary>
    /// What the term keeps of the teachers' outputs, per example (rows along the first dimension): computed for a batch, or
    /// once for the whole transfer set when the trainer caches. Intermediate tensors go to the caller's dispose scope.
    /// </summary>
    public virtual Tensor[] TeacherSide(TeacherOutputs teachers) => Array.Empty<Tensor>();

    /// <summary>
    /// Per example (double, on the CPU), a part of the term's value that depends on the teachers alone and that
    /// <see cref="Compute"/> leaves out; the trainer adds it back to the value it reports. Null when there is none.
    /// </summary>
    public virtual Tensor? Constant(TeacherOutputs teachers) => null;

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming both shapes when the student's and the teachers' sides of
    /// <paramref name="batch"/> (a probe of two examples, before training) cannot be compared.
    /// </summary>
    public virtual void Check(TermBatch batch)
    {
    }

    /// <summary>The term's weighted value for <paramref name="batch"/>, a scalar. Intermediate tensors go to the caller's dispose scope.</summary>
    public abstract Tensor Compute(TermBatch batch);

    /// <summary>Called before each epoch (from 1): for a term whose weight follows a schedule.</summary>
    public virtual void StartEpoch(int epoch, int epochs)
    {
    }

    public virtual void Dispose()
    {
    }
}

/// <summary>What the terms of a run may need to know when it starts.</summary>
internal sealed record TermSetup(Model Student, IReadOnlyList<Model> Teachers, int ClassCount, long Seed, Device Device);

/// <summary>
/// The teachers' outputs for some examples, computed without gradients: each teacher's logits (when a term reads them)
/// and the named layers the terms read.
/// </summary>
internal sealed class TeacherOutputs
{
    private readonly IReadOnlyList<Tensor?> logits;
    private readonly IReadOnlyDictionary<(int Teacher, string Layer), Tensor> layers;

    public TeacherOutputs(IReadOnlyList<Tensor?> logits, IReadOnlyDictionary<(int Teacher, string Layer), Tensor> layers, long count)
    {
        this.logits = logits;
        this.layers = layers;
        Count = count;
    }

    /// <summary>Examples.</summary>
    public long Count { get; }

    /// <summary>Every teacher's logits, in the distillation's order.</summary>
    public IReadOnlyList<Tensor> Logits
    {
        get
        {
            var all = new Tensor[logits.Count];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = logits[i] ?? throw new InvalidOperationException("The teachers' logits were not computed: the term does not declare that it reads them.");
            }
            return all;
        }
    }

    /// <summary>The output of <paramref name="teacher"/>'s layer <paramref name="layer"/>.</summary>
    public Tensor Layer(int teacher, string layer) =>
        layers.TryGetValue((teacher, layer), out var output)
            ? output
            : throw new InvalidOperationException($"Teacher {teacher}'s layer {layer} was not computed: the term does not declare that it reads it.");
}

/// <summary>The student's outputs for a batch: its logits and the named layers the terms read (with gradients).</summary>
internal sealed class StudentOutputs
{
    private readonly Tensor? logits;
    private readonly IReadOnlyDictionary<string, Tensor> layers;

    public StudentOutputs(Tensor? logits, IReadOnlyDictionary<string, Tensor> layers)
    {
        this.logits = logits;
        this.layers = layers;
    }

    public Tensor Logits => logits ?? throw new InvalidOperationException("The student's logits were not computed: no term of this stage reads them.");

    public Tensor Layer(string layer) =>
        layers.TryGetValue(layer, out var output)
            ? output
            : throw new InvalidOperationException($"The student's layer {layer} was not computed: the term does not declare that it reads it.");
}

/// <summary>One batch as a term sees it: the student's outputs, the term's rows of its teacher side, the labels, which examples.</summary>
internal readonly record struct TermBatch(StudentOutputs Student, IReadOnlyList<Tensor> Teacher, Tensor? Labels, Tensor Indices, int Size);
