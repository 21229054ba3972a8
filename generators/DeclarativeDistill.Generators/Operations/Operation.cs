using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Operations;

/// <summary>
/// One explicit operation of a network, in the order <c>forward</c> applies them: a layer's own (a convolution, a
/// batch norm), an activation, a dropout. The emitters read only these: how the operation is written in
/// <c>forward</c>, which module field it needs, and how the runtime's description of the network names it.
/// </summary>
internal abstract record Operation
{
    /// <summary>The namespace of the runtime's operation types, which the network's description is written in.</summary>
    public const string Runtime = "global::DeclarativeDistill.Operations";

    /// <summary>The module this operation runs, as a field of the network; null for a function or a shared module.</summary>
    public virtual ModuleField? Module => null;

    /// <summary>The operation applied to <paramref name="x"/>, as <c>forward</c> writes it.</summary>
    public abstract string Apply(string x);

    /// <summary>The runtime's description of this operation: a C# expression that creates it.</summary>
    public abstract string Describe();

    /// <summary>
    /// The entries this operation adds to the network's description, each a C# expression (continuation lines start
    /// with their indentation relative to the first): <see cref="Describe"/>, unless a module does more than one thing.
    /// </summary>
    public virtual System.Collections.Generic.IEnumerable<string> DescriptionEntries => new[] { Describe() };

    /// <summary>
    /// For an operation that changes a sequence's length (a strided or unpadded <c>conv1d</c>): the padding mask of its
    /// output, from <paramref name="mask"/>'s, as a C# expression; null when the steps stay as they are.
    /// </summary>
    public virtual string? MaskAfter(string mask) => null;

    /// <summary>The activation the output has been through last, given the input's (null: none, or a linear map since).</summary>
    public virtual Activation? After(Activation? before) => before;
}

/// <summary>A module field of a generated network: its name (the state_dict prefix), type and construction.</summary>
internal sealed record ModuleField(string Name, string Type, string Construction);
