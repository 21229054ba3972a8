namespace DeclarativeDistill.Generators.Grammar;

/// <summary>
/// The arguments an item takes: its positional ones, in order, then the named ones it allows; <see cref="Example"/> is
/// what messages suggest writing.
/// </summary>
internal sealed class Signature
{
    public Signature(string example, string[] positional, string[] named)
    {
        Example = example;
        Positional = positional;
        Named = named;
    }

    /// <summary>An item written without arguments (<c>bn</c>).</summary>
    public static Signature None(string example) => new(example, new string[0], new string[0]);

    public string Example { get; }

    public string[] Positional { get; }

    public string[] Named { get; }
}
