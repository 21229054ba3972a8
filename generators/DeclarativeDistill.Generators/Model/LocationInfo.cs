using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// Where a diagnostic goes, without holding a <see cref="Location"/> (which keeps a syntax tree, and
/// with it a whole compilation, alive and breaks the pipeline's caching).
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    /// <summary>A part of a string literal: <paramref name="start"/> and <paramref name="length"/> count characters of its text.</summary>
    public static LocationInfo? Within(SyntaxNode literal, int start, int length)
    {
        var tree = literal.SyntaxTree;
        var span = new TextSpan(literal.SpanStart + start, length);
        return new LocationInfo(tree.FilePath, span, tree.GetLineSpan(span).Span);
    }
}
