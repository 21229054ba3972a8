using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Examples and their class labels, held as two tensors: features float32 <c>[N, D]</c> (vectors) or
/// <c>[N, C, H, W]</c> (images), and labels int64 <c>[N]</c>. Validated on construction. It owns the tensors it is given: they are detached from
/// any dispose scope, and <see cref="Dispose"/> frees them.
/// <para>
/// A transfer set for distillation may have no labels (<see cref="Unlabeled"/>, <see cref="WithoutLabels"/>): the
/// teachers label it. Such a set serves a distillation whose hard-label weight Beta is 0, and fidelity measures;
/// training on labels and evaluation refuse it.
/// </para>
/// </summary>
public sealed class LabeledDataset : DataSource
{
    private readonly Tensor? labels;
    private IReadOnlyList<string>? classNames;
    private TextTokenizer? tokenizer;

    /// <summary>Wraps <paramref name="features"/> and <paramref name="labels"/> after checking them.</summary>
    /// <param name="features">float32 <c>[N, D]</c> or <c>[N, C, H, W]</c>, finite values.</param>
    /// <param name="labels">int64 <c>[N]</c>, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">The number of classes; default: the largest label + 1.</param>
    /// <exception cref="ArgumentException">A shape, type or value is wrong; the message says which.</exception>
    public LabeledDataset(Tensor features, Tensor labels, int? classCount = null)
        : this(features, labels ?? throw new ArgumentNullException(nameof(labels)), classCount, labelled: true)
    {
    }

    private LabeledDataset(Tensor features, Tensor? labels, int? classCount, bool labelled)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() is not (2 or 4))
        {
            throw new ArgumentException(
                $"Features must be a 2-D tensor [N, D] or a 4-D tensor of images [N, C, H, W]; got shape [{string.Join(", ", features.shape)}].", nameof(features));
        }
        if (features.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Features must be float32; got {features.dtype}.", nameof(features));
        }
        if (features.shape.Any(size => size == 0))
        {
            throw new ArgumentException($"A dataset needs at least one example of at least one feature; got [{string.Join(", ", features.shape)}].", nameof(features));
        }
        if (features.shape.Skip(1).Any(size => size > int.MaxValue) || features.shape.Skip(1).Aggregate(1L, (p, size) => p * size) > int.MaxValue)
        {
            throw new ArgumentException($"An example of shape [{string.Join(", ", features.shape.Skip(1))}] has more than {int.MaxValue:N0} features.", nameof(features));
        }
        bool finite;
        using (torch.no_grad())
        using (NewDisposeScope())
        {
            finite = features.isfinite().all().item<bool>();
        }
        if (!finite)
        {
            throw new ArgumentException("Features contain NaN or infinite values.", nameof(features));
        }
        if (labelled)
        {
            ClassCount = CheckLabels(features, labels!, classCount);
            this.labels = labels!.contiguous().DetachFromDisposeScope();
        }
        else
        {
            ClassCount = classCount ?? 0;
        }

        // The dataset owns its tensors: they must outlive any dispose scope it was built in.
        Features = features.contiguous().DetachFromDisposeScope();
        Shape = FeatureShape.OfBatch(features)!; // checked above: 2 or 4 dimensions, positive, at most int.MaxValue per example
    }

    /// <summary>
    /// A transfer set of examples without labels, for a distillation on the teachers' outputs alone (Beta = 0).
    /// </summary>
    /// <param name="features">float32 <c>[N, D]</c> or <c>[N, C, H, W]</c>, finite values.</param>
    /// <param name="classCount">The number of classes the examples belong to, if known; otherwise 0.</param>
    /// <exception cref="ArgumentException">A shape, type or value is wrong; the message says which.</exception>
    public static LabeledDataset Unlabeled(Tensor features, int classCount = 0)
    {
        if (classCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), $"The number of classes cannot be negative; got {classCount}.");
        }
        return new LabeledDataset(features, null, classCount, labelled: false);
    }

    private static int CheckLabels(Tensor features, Tensor labels, int? classCount)
    {
        if (labels.dim() != 1)
        {
            throw new ArgumentException($"Labels must be a 1-D tensor [N]; got shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        }
        if (labels.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Labels must be int64; got {labels.dtype}.", nameof(labels));
        }
        if (features.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"Features have {features.shape[0]} rows but there are {labels.shape[0]} labels.", nameof(labels));
        }

        long smallest, largest;
        using (torch.no_grad())
        using (NewDisposeScope())
        {
            smallest = labels.min().item<long>();
            largest = labels.max().item<long>();
        }
        if (smallest < 0)
        {
            throw new ArgumentException($"Labels must be class indices from 0; found {smallest}.", nameof(labels));
        }
        if (largest >= int.MaxValue)
        {
            throw new ArgumentException($"Labels must be class indices below {int.MaxValue}; found {largest}.", nameof(labels));
        }
        if (classCount is { } declared && largest >= declared)
        {
            throw new ArgumentException($"Label {largest} is out of range for {declared} classes.", nameof(labels));
        }
        return classCount ?? checked((int)largest + 1);
    }

    /// <summary>float32 <c>[N, D]</c> or <c>[N, C, H, W]</c>.</summary>
    public Tensor Features { get; }

    /// <summary>The shape of one example: <c>784</c> for rows of 784 features, <c>1x28x28</c> for images.</summary>
    public override FeatureShape Shape { get; }

    /// <summary>int64 <c>[N]</c>.</summary>
    /// <exception cref="InvalidOperationException">The dataset has no labels (<see cref="HasLabels"/> is false).</exception>
    public Tensor Labels => labels ?? throw new InvalidOperationException($"This dataset of {Count} examples has no labels.");

    /// <summary>False for a transfer set without labels (<see cref="Unlabeled"/>).</summary>
    public override bool HasLabels => labels is not null;

    /// <summary>The labels, or null when there are none.</summary>
    internal Tensor? LabelsOrNull => labels;

    /// <summary>N, the number of examples.</summary>
    public override int Count => checked((int)Features.shape[0]);

    /// <summary>The number of classes (given, or the largest label + 1; 0 for examples without labels unless given).</summary>
    public override int ClassCount { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string>? ClassNames => classNames;

    internal override LabeledDataset InMemory => this;

    /// <summary>
    /// The same examples and labels (a new dataset over the same memory) with a name for each class, by label: a network
    /// trained on them keeps the names, and its predictions name the class.
    /// </summary>
    /// <exception cref="ArgumentException">Not one distinct, non-empty name per class.</exception>
    public LabeledDataset WithClassNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        CheckClassNames(names, ClassCount);
        return new LabeledDataset(Features.alias(), labels?.alias(), ClassCount, HasLabels) { classNames = names.ToArray(), tokenizer = tokenizer };
    }

    /// <summary>The tokenizer that encoded these examples' texts (<see cref="TextRecords.Encode"/>), or null.</summary>
    public override TextTokenizer? Tokenizer => tokenizer;

    /// <summary>The same examples and labels with the tokenizer that encoded them: a network trained on them keeps it.</summary>
    public LabeledDataset WithTokenizer(TextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new LabeledDataset(Features.alias(), labels?.alias(), ClassCount, HasLabels) { classNames = classNames, tokenizer = tokenizer };
    }

    internal static void CheckClassNames(IReadOnlyList<string> names, int classCount)
    {
        if (names.Count != classCount)
        {
            throw new ArgumentException($"{names.Count} class names were given for {classCount} classes.", nameof(names));
        }
        if (names.FirstOrDefault(string.IsNullOrWhiteSpace) is not null || names.Any(n => n is null))
        {
            throw new ArgumentException("A class name is empty.", nameof(names));
        }
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The class name '{twice.Key}' is given twice.", nameof(names));
        }
    }

    /// <inheritdoc/>
    protected internal override void Read(ReadOnlySpan<long> indices, Span<float> features, Span<long> labels)
    {
        using var scope = NewDisposeScope();
        var index = tensor(indices.ToArray());
        Features.index_select(0, index).data<float>().CopyTo(features);
        this.labels?.index_select(0, index).data<long>().CopyTo(labels);
    }

    /// <inheritdoc/>
    protected internal override long[] ReadLabels() => labels?.data<long>().ToArray() ?? Array.Empty<long>();

    /// <summary>
    /// A seeded split into a training and a test part, each a new dataset with its own copy of the data, stratified by
    /// class when there are labels (each class is split in the same proportion).
    /// </summary>
    /// <param name="test">The fraction of the examples in the test part, in (0, 1).</param>
    /// <param name="seed">The same seed gives the same split.</param>
    public new (LabeledDataset Train, LabeledDataset Test) Split(double test, int seed)
    {
        CheckFraction(test, nameof(test));
        var (train, _, tests) = Splitter.Rows(this, 0, test, seed);
        return (Subset(train), Subset(tests));
    }

    /// <summary>A seeded split into training, validation and test parts, each a new dataset, stratified by class when there are labels.</summary>
    /// <param name="validation">The fraction of the examples in the validation part, in (0, 1).</param>
    /// <param name="test">The fraction in the test part, in (0, 1); with <paramref name="validation"/>, below 1.</param>
    /// <param name="seed">The same seed gives the same split.</param>
    public new DataSplit<LabeledDataset> Split(double validation, double test, int seed)
    {
        CheckFraction(validation, nameof(validation));
        CheckFraction(test, nameof(test));
        var (train, valid, tests) = Splitter.Rows(this, validation, test, seed);
        return new DataSplit<LabeledDataset>(Subset(train), Subset(valid), Subset(tests));
    }

    /// <summary>The examples at <paramref name="rows"/>, in that order, as a new dataset with its own copy.</summary>
    internal override LabeledDataset Subset(long[] rows)
    {
        using var index = tensor(rows);
        return new LabeledDataset(Features.index_select(0, index), labels?.index_select(0, index), ClassCount, HasLabels) { classNames = classNames, tokenizer = tokenizer };
    }

    /// <summary>The examples <c>[start, start + count)</c> as a new dataset with its own copy of the data.</summary>
    public LabeledDataset Slice(int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Cannot take {count} examples from {start} in a dataset of {Count}.");
        }
        return new LabeledDataset(Features.narrow(0, start, count).clone(), labels?.narrow(0, start, count).clone(), ClassCount, HasLabels) { classNames = classNames, tokenizer = tokenizer };
    }

    /// <summary>
    /// The same examples and labels with each example viewed as <paramref name="shape"/> (e.g. rows of 784 pixels as
    /// <c>1x28x28</c> images, or images flattened to <c>784</c>): a new dataset over the same memory.
    /// </summary>
    /// <exception cref="ArgumentException">The shape has another number of features.</exception>
    public LabeledDataset WithShape(FeatureShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Size != FeatureSize)
        {
            throw new ArgumentException($"Examples of {Shape.Describe()} cannot be viewed as {shape.Describe()}.", nameof(shape));
        }
        return new LabeledDataset(Features.reshape(shape.BatchShape(Count)), labels?.alias(), ClassCount, HasLabels) { classNames = classNames, tokenizer = tokenizer };
    }

    /// <summary>The same examples without their labels (a new dataset over the same memory), keeping <see cref="ClassCount"/>.</summary>
    public LabeledDataset WithoutLabels() => new(Features.alias(), null, ClassCount, labelled: false) { classNames = classNames, tokenizer = tokenizer };

    /// <summary>
    /// The examples whose label is not one of <paramref name="classes"/>, as a new dataset with its own copy of the
    /// data. <see cref="ClassCount"/> is kept: a network trained on it still has an output for every class.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset has no labels, or no example would remain.</exception>
    public LabeledDataset WithoutClasses(params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var removed = new HashSet<int>(classes);
        return Where(label => !removed.Contains(label), $"without classes {string.Join(", ", classes)}");
    }

    /// <summary>
    /// The examples whose label is one of <paramref name="classes"/>, as a new dataset with its own copy of the data.
    /// <see cref="ClassCount"/> is kept: a network trained on it still has an output for every class.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset has no labels, or no example would remain.</exception>
    public LabeledDataset OnlyClasses(params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var kept = new HashSet<int>(classes);
        return Where(kept.Contains, $"with only classes {string.Join(", ", classes)}");
    }

    private LabeledDataset Where(Func<int, bool> keep, string description)
    {
        if (labels is null)
        {
            throw new ArgumentException($"A dataset without labels cannot be filtered by class ({description}).");
        }
        long[] all = labels.data<long>().ToArray();
        long[] rows = Enumerable.Range(0, all.Length).Where(i => keep((int)all[i])).Select(i => (long)i).ToArray();
        if (rows.Length == 0)
        {
            throw new ArgumentException($"No example of the {Count} remains {description}.");
        }
        using var index = tensor(rows);
        return new LabeledDataset(Features.index_select(0, index), labels.index_select(0, index), ClassCount, labelled: true) { classNames = classNames, tokenizer = tokenizer };
    }

    /// <summary>Frees the tensors.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Features.Dispose();
            labels?.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string examples = Shape.IsImage ? $"{Count} examples of {Shape}" : $"{Count} examples × {FeatureSize} features";
        return HasLabels ? $"LabeledDataset({examples}, {ClassCount} classes)" : $"LabeledDataset({examples}, no labels)";
    }
}
