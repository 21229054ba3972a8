using Microsoft.CodeAnalysis.Text;

namespace DeclarativeDistill.Generators.Tests.Infrastructure;

/// <summary>Source with one span marked <c>[|like this|]</c>: the place a diagnostic must point at.</summary>
internal sealed record MarkedSource(string Text, TextSpan Span)
{
    public static MarkedSource Parse(string marked)
    {
        int start = marked.IndexOf("[|", System.StringComparison.Ordinal);
        int end = marked.IndexOf("|]", System.StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new System.ArgumentException("Mark the expected span with [| and |].", nameof(marked));
        }
        string text = marked.Remove(end, 2).Remove(start, 2);
        return new MarkedSource(text, TextSpan.FromBounds(start, end - 2));
    }
}
