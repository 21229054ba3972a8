using DeclarativeDistill.Generators.Grammar;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// Everything the generator knows of one kind of item in <c>Layers</c>, in one place: how it is written (its name and
/// arguments), what it does to the shape of an example (and what that costs in parameters and multiply-adds), and
/// the operations it lowers to, which the emitters write as TorchSharp code and as the network's description. Every
/// concrete kind has a static <c>Instance</c> and is found by <see cref="LayerKinds"/>: adding one is a file like this one.
/// </summary>
internal abstract class LayerKind
{
    /// <summary>Where lists of the known items (messages, the DD0001 description) show it: smaller first.</summary>
    public abstract int Order { get; }

    /// <summary>The item's name in <c>Layers</c> (<c>conv</c>); null for a fully connected layer, which is written as its width.</summary>
    public abstract string? Name { get; }

    /// <summary>How the list of known items shows it: <c>conv(C, K)</c>, <c>bn</c>.</summary>
    public abstract string Usage { get; }

    /// <summary>The arguments it takes (none for a fully connected layer).</summary>
    public virtual Signature Signature => Signature.None(Usage);

    /// <summary>
    /// Whether it reads a vector: an image reaching it is flattened first, by an implicit <c>flatten</c> that the
    /// network shows as a step of its own.
    /// </summary>
    public virtual bool ReadsVectors => false;

    /// <summary>Whether it reads token ids (the input of a text network): <c>embed</c> only.</summary>
    public virtual bool ReadsTokens => false;

    /// <summary>Whether it reads a sequence (steps × features), as the text network's layers between <c>embed</c> and a readout do.</summary>
    public virtual bool ReadsSequences => false;

    /// <summary>Whether the network may end with it: its output is then the logits, one per class.</summary>
    public virtual bool GivesClasses => false;

    /// <summary>
    /// Whether, directly after a convolution or a hidden fully connected layer, it takes over what follows that
    /// layer (the activation, and the class's dropout): conv → bn → activation.
    /// </summary>
    public virtual bool TakesActivation => false;

    /// <summary>Whether a convolution directly before it has no bias (batch norm's shift makes it redundant).</summary>
    public virtual bool RemovesBias => false;

    /// <summary>The item written with <paramref name="arguments"/> (already matched to <see cref="Signature"/>), or what is wrong with a value.</summary>
    public abstract SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec);

    /// <summary>The shape rule and the lowering: the analysed layer for <paramref name="spec"/> where <paramref name="context"/> says it stands.</summary>
    public abstract LayerResult Analyse(LayerSpec spec, LayerContext context);
}

/// <summary>A <see cref="LayerKind"/> of one <see cref="LayerSpec"/> type.</summary>
internal abstract class LayerKind<TSpec> : LayerKind
    where TSpec : LayerSpec
{
    public sealed override LayerResult Analyse(LayerSpec spec, LayerContext context) => Analyse((TSpec)spec, context);

    protected abstract LayerResult Analyse(TSpec spec, LayerContext context);
}
