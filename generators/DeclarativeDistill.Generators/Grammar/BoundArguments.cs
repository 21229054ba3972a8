using System.Collections.Generic;
using System.Globalization;

namespace DeclarativeDistill.Generators.Grammar;

/// <summary>
/// An item's arguments matched to its <see cref="Signature"/>: each value's text and where it stands in the string,
/// positional ones under their names, in the order written. Kinds read their values through it.
/// </summary>
internal sealed class BoundArguments
{
    private readonly List<(string Name, string Value, int Start, int Length)> arguments = new();
    private readonly Dictionary<string, long> numbers = new();

    public BoundArguments(string item, int start, int length)
    {
        Item = item;
        Start = start;
        Length = length;
    }

    /// <summary>The item's name, e.g. <c>conv</c>.</summary>
    public string Item { get; }

    /// <summary>Where the whole item starts in the string.</summary>
    public int Start { get; }

    /// <summary>The whole item's length.</summary>
    public int Length { get; }

    internal void Add(string name, string value, int start, int length) => arguments.Add((name, value, start, length));

    /// <summary>
    /// Reads every argument as a whole number that fits in an int, in the order written, and reports the first that
    /// is not; zero is allowed only for the arguments named in <paramref name="mayBeZero"/>.
    /// </summary>
    public SyntaxProblem? ReadWholeNumbers(params string[] mayBeZero)
    {
        foreach (var (name, value, start, length) in arguments)
        {
            if (!IsAsciiDigits(value))
            {
                return new SyntaxProblem(start, length, $"{Item}'s {name} must be a whole number; found '{ArchitectureGrammar.Escape(value)}'");
            }
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
            {
                return new SyntaxProblem(start, length, $"{Item}'s {name} {value} is too large (at most {int.MaxValue})");
            }
            if (parsed == 0 && System.Array.IndexOf(mayBeZero, name) < 0)
            {
                return new SyntaxProblem(start, length, $"{Item}'s {name} must be at least 1; found 0");
            }
            numbers[name] = parsed;
        }
        return null;
    }

    /// <summary>A whole number <see cref="ReadWholeNumbers"/> read, or <paramref name="otherwise"/> when it was not written.</summary>
    public long Number(string name, long otherwise = 0) => numbers.TryGetValue(name, out long value) ? value : otherwise;

    /// <summary>The text and place of an argument; null when it was not written.</summary>
    public (string Value, int Start, int Length)? Find(string name)
    {
        foreach (var argument in arguments)
        {
            if (argument.Name == name)
            {
                return (argument.Value, argument.Start, argument.Length);
            }
        }
        return null;
    }

    private static bool IsAsciiDigits(string s)
    {
        foreach (char c in s)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return s.Length > 0;
    }
}
