using System.Globalization;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// Numbers as C# source and as message text, always in the invariant culture: a Finnish or German
/// machine must still emit <c>0.5</c>, not <c>0,5</c> or a Unicode minus sign.
/// </summary>
internal static class Literals
{
    /// <summary>The shortest text that round-trips, e.g. <c>20</c>, <c>0.9</c>, <c>1E-05</c>, <c>NaN</c>.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C# string literal for <paramref name="value"/>, quoted and escaped.</summary>
    public static string String(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary><paramref name="value"/> escaped for an XML doc comment.</summary>
    public static string EscapeXml(string value) => System.Security.SecurityElement.Escape(value).Replace("\n", " ").Replace("\r", " ");
}
