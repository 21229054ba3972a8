using System;
using System.Linq;
using Microsoft.CodeAnalysis.Text;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// One attribute application as plain data: where it is, and each named argument's value and place. What the
/// analysis reads instead of symbols, so that it can run as a step of its own and be cached.
/// </summary>
internal sealed record AttributeCapture(LocationInfo? Location, EquatableArray<ArgumentCapture> Arguments)
{
    /// <summary>The argument named <paramref name="name"/> as written, or null.</summary>
    public ArgumentCapture? Find(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    /// <summary>Whether the argument appears in source at all (even if its value does not type-check).</summary>
    public bool IsWritten(string name) => Find(name) is not null;

    /// <summary>The argument's location, or the attribute's when the argument is not in source.</summary>
    public LocationInfo? LocationOf(string name) => Find(name)?.Location ?? Location;

    /// <summary>
    /// The location of characters <paramref name="start"/>..+<paramref name="length"/> of a string argument's value, when
    /// the literal spells its value plainly; otherwise the whole argument.
    /// </summary>
    public LocationInfo? LocationWithin(string name, int start, int length) =>
        Find(name) is { Literal: { } literal } ? literal.Within(start, Math.Max(length, 1)) : LocationOf(name);

    /// <summary>True when the argument was written and has a well-typed value (a mistyped one is the compiler's error).</summary>
    public bool TryGetText(string name, out string? text)
    {
        var argument = Find(name);
        text = argument?.Text;
        return argument is { WellTyped: true };
    }

    /// <summary>A well-typed number (or enum value) written for <paramref name="name"/>.</summary>
    public bool TryGetNumber(string name, out double value)
    {
        var argument = Find(name);
        value = argument?.Number ?? double.NaN;
        return argument is { WellTyped: true, Number: not null };
    }
}

/// <summary>
/// A named argument: its value (<see cref="Text"/> for a string, <see cref="Number"/> for a number or an enum), whether
/// it type-checks, where it was written, and, for a plain string literal, where its characters start.
/// </summary>
internal sealed record ArgumentCapture(string Name, bool WellTyped, string? Text, double? Number, LocationInfo? Location, LiteralLocation? Literal);

/// <summary>
/// Where a string literal that spells its value plainly (<c>"..."</c>, no escapes) starts, so that a diagnostic can
/// point at characters inside it without the syntax tree: such a literal sits on one line.
/// </summary>
internal sealed record LiteralLocation(string FilePath, int Position, int Line, int Character)
{
    /// <summary>Characters <paramref name="start"/>..+<paramref name="length"/> of the value (after the opening quote).</summary>
    public LocationInfo Within(int start, int length)
    {
        int first = Character + 1 + start;
        return new LocationInfo(FilePath, new TextSpan(Position + 1 + start, length),
            new LinePositionSpan(new LinePosition(Line, first), new LinePosition(Line, first + length)));
    }
}
