using System;
using System.Collections.Generic;
using System.Globalization;

namespace DeclarativeDistill;

/// <summary>
/// Reads the Python literal that a .npy header holds: a dict with str keys whose values are strs, <c>True</c>,
/// <c>False</c>, ints, and tuples or lists of these (the subset of <c>ast.literal_eval</c> that <c>np.save</c> writes,
/// including Python 2's <c>3L</c>). Written by hand because the header is not JSON (single quotes, tuples, a trailing
/// comma) and nothing more is needed. Yields <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="List{T}"/> of values and <see cref="Dictionary{TKey, TValue}"/> by key.
/// </summary>
internal sealed class PythonLiteral
{
    private readonly string text;
    private int position;

    private PythonLiteral(string text) => this.text = text;

    /// <summary>Parses a whole dict literal.</summary>
    /// <exception cref="FormatException">The text is not one dict literal; the message says where and what was found.</exception>
    public static Dictionary<string, object> ParseDict(string text)
    {
        var parser = new PythonLiteral(text);
        parser.SkipSpace();
        if (parser.Peek() != '{')
        {
            throw parser.Error("a dict '{'");
        }
        var dict = (Dictionary<string, object>)parser.Value();
        parser.SkipSpace();
        if (parser.position < text.Length)
        {
            throw parser.Error("the end of the header");
        }
        return dict;
    }

    private object Value()
    {
        SkipSpace();
        char c = Peek();
        switch (c)
        {
            case '{':
                return Dict();
            case '(':
                return Sequence(')');
            case '[':
                return Sequence(']');
            case '\'' or '"':
                return String();
            case '-' or (>= '0' and <= '9'):
                return Integer();
        }
        if (TryWord("True"))
        {
            return true;
        }
        if (TryWord("False"))
        {
            return false;
        }
        throw Error("a value (a string, True, False, an integer, a tuple or a list)");
    }

    private Dictionary<string, object> Dict()
    {
        position++; // '{'
        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                position++;
                return dict;
            }
            if (Peek() is not ('\'' or '"'))
            {
                throw Error("a string key or '}'");
            }
            string key = String();
            SkipSpace();
            Expect(':');
            dict[key] = Value();
            SkipSpace();
            if (Peek() == ',')
            {
                position++;
            }
            else if (Peek() != '}')
            {
                throw Error("',' or '}'");
            }
        }
    }

    private List<object> Sequence(char close)
    {
        position++; // '(' or '['
        var items = new List<object>();
        while (true)
        {
            SkipSpace();
            if (Peek() == close)
            {
                position++;
                return items;
            }
            items.Add(Value());
            SkipSpace();
            if (Peek() == ',')
            {
                position++;
            }
            else if (Peek() != close)
            {
                throw Error($"',' or '{close}'");
            }
        }
    }

    private string String()
    {
        char quote = text[position++];
        int start = position;
        while (position < text.Length && text[position] != quote)
        {
            if (text[position] == '\\')
            {
                throw Error("a string without escapes");
            }
            position++;
        }
        if (position >= text.Length)
        {
            throw Error($"the closing {quote}");
        }
        return text[start..position++];
    }

    private long Integer()
    {
        int start = position;
        if (Peek() == '-')
        {
            position++;
        }
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }
        if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            position = start;
            throw Error("an integer of at most 19 digits");
        }
        if (Peek() is 'L' or 'l')
        {
            position++; // Python 2's long suffix
        }
        return value;
    }

    private bool TryWord(string word)
    {
        if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0)
        {
            return false;
        }
        int end = position + word.Length;
        if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            return false;
        }
        position = end;
        return true;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"'{c}'");
        }
        position++;
    }

    private char Peek() => position < text.Length ? text[position] : '\0';

    private void SkipSpace()
    {
        while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\r')
        {
            position++;
        }
    }

    private FormatException Error(string expected)
    {
        string found = position < text.Length ? $"'{text[position..Math.Min(text.Length, position + 12)]}'" : "the end";
        return new FormatException($"expected {expected} at character {position}, found {found}");
    }
}
