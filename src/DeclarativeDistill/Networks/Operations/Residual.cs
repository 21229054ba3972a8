using System;
using System.Collections.Generic;
using System.Linq;

namespace DeclarativeDistill.Operations;

/// <summary>
/// A residual connection: <c>main(x) + shortcut(x)</c>, the shortcut the identity when it has no operations. A
/// <c>res(C)</c> block is one (its main path two convolutions with batch norm, its shortcut a 1×1 convolution and
/// batch norm when the shape changes), followed by the activation.
/// </summary>
/// <param name="Module">The block's module: <c>res1</c>. The operations inside name their tensors in full (<c>res1.conv1</c>).</param>
/// <param name="Main">The main path.</param>
/// <param name="Shortcut">The shortcut; empty for the identity.</param>
public sealed record Residual(string Module, IReadOnlyList<Operation> Main, IReadOnlyList<Operation> Shortcut) : Operation
{
    private readonly IReadOnlyList<Operation> main = Checked(Main, nameof(Main));
    private readonly IReadOnlyList<Operation> shortcut = Checked(Shortcut, nameof(Shortcut));

    /// <summary>The main path.</summary>
    public IReadOnlyList<Operation> Main { get => main; init => main = Checked(value, nameof(Main)); }

    /// <summary>The shortcut; empty for the identity.</summary>
    public IReadOnlyList<Operation> Shortcut { get => shortcut; init => shortcut = Checked(value, nameof(Shortcut)); }

    internal override string Export(OnnxGraph graph, string x)
    {
        string y = Main.Aggregate(x, (value, operation) => operation.Export(graph, value));
        string s = Shortcut.Aggregate(x, (value, operation) => operation.Export(graph, value));
        return graph.Node("Add", new[] { y, s });
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Residual {{ Module = {Module}, Main = [{string.Join(", ", Main)}], Shortcut = [{string.Join(", ", Shortcut)}] }}";

    private static IReadOnlyList<Operation> Checked(IReadOnlyList<Operation> operations, string name)
    {
        ArgumentNullException.ThrowIfNull(operations, name);
        return operations.Any(o => o is null) ? throw new ArgumentException("An operation is null.", name) : operations.ToArray();
    }
}
