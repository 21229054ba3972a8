using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Model;

/// <summary>A diagnostic to report, held as plain data until the output stage.</summary>
/// <param name="Descriptor">What it is.</param>
/// <param name="Location">Where it goes.</param>
/// <param name="Arguments">The message's arguments, already formatted.</param>
/// <param name="FixData">Data for a code fix (e.g. the candidate teachers), passed as a diagnostic property.</param>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments, string? FixData = null)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor, location, arguments.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", a)).ToEquatableArray());

    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(),
            FixData is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(Diagnostics.DiagnosticIds.FixDataProperty, FixData),
            Arguments.ToArray<object>());
}
