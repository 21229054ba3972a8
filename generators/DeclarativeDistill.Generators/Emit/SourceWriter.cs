using System.Text;

namespace DeclarativeDistill.Generators.Emit;

/// <summary>Writes indented C# one line at a time.</summary>
internal sealed class SourceWriter
{
    private const string Indentation = "    ";
    private readonly StringBuilder builder = new();
    private int depth;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (int i = 0; i < depth; i++)
            {
                builder.Append(Indentation);
            }
            builder.Append(text);
        }
        builder.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents.</summary>
    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        depth++;
        return this;
    }

    public SourceWriter Close()
    {
        depth--;
        return Line("}");
    }

    public SourceWriter Indent()
    {
        depth++;
        return this;
    }

    public SourceWriter Outdent()
    {
        depth--;
        return this;
    }

    public override string ToString() => builder.ToString();
}
