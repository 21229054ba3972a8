using System.Collections.Generic;
using System.Globalization;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Grammar;

/// <summary>
/// The front end of the architecture grammar: a <c>Layers</c> string such as
/// <c>"1x28x28, conv(32, 3), maxpool(2), 128, 10"</c> into its items with their positions. Only the grammar is judged
/// here (names, arguments, values); each item's kind, found in <see cref="LayerKinds"/>, reads its own values, and
/// shapes are the analysis's job.
/// </summary>
internal static class ArchitectureGrammar
{
    /// <summary>The input as written: the first item, a width or an image shape.</summary>
    public sealed record InputItem(TensorShape Shape, int Start, int Length)
    {
        public string Text => Shape.ToString();
    }

    /// <summary>The items written: the input first, then the layers.</summary>
    public sealed record Items(InputItem Input, EquatableArray<LayerSpec> Layers)
    {
        /// <summary>The items in their normal form: what a teacher assistant's two attributes must agree on.</summary>
        public string Normalized => string.Join(",", System.Linq.Enumerable.Concat(new[] { Input.Text }, System.Linq.Enumerable.Select(Layers, l => l.Text)));
    }

    /// <summary>
    /// Splits on the commas outside parentheses and reads each item. Returns the items, or the first problem.
    /// A list of fewer than two items is returned as it is: the caller reports it.
    /// </summary>
    public static (Items? Items, int Count, SyntaxProblem? Problem) Parse(string text)
    {
        var spans = new List<(int Start, int End)>();
        int depth = 0, itemStart = 0, open = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (c == '(')
            {
                if (depth++ == 0)
                {
                    open = i;
                }
            }
            else if (c == ')')
            {
                if (--depth < 0)
                {
                    return (null, 0, new SyntaxProblem(i, 1, "')' closes no '('"));
                }
            }
            else if (c == ',' && (depth == 0 || i == text.Length))
            {
                if (depth > 0)
                {
                    var (first, last) = Trim(text, itemStart, text.Length);
                    return (null, 0, new SyntaxProblem(open, 1, $"'{Escape(text.Substring(first, last - first))}' has no closing parenthesis"));
                }
                spans.Add((itemStart, i));
                itemStart = i + 1;
            }
        }

        InputItem? input = null;
        var layers = new List<LayerSpec>();
        for (int n = 0; n < spans.Count; n++)
        {
            var (start, end) = spans[n];
            LayerSpec? layer = null;
            var problem = n == 0 ? ParseInput(text, start, end, out input) : ParseLayer(text, start, end, out layer);
            if (problem is not null)
            {
                return (null, 0, problem);
            }
            if (layer is not null)
            {
                layers.Add(layer);
            }
        }
        return (new Items(input!, layers.ToEquatableArray()), spans.Count, null);
    }

    /// <summary>
    /// Where the first and the last item of a list stand (0-based start and length, spaces trimmed): the
    /// network's input and its output width, for pointing at one of them.
    /// </summary>
    public static ((int Start, int Length) Input, (int Start, int Length) Output) Ends(string text)
    {
        int firstComma = text.IndexOf(',');
        var (inputFirst, inputLast) = Trim(text, 0, firstComma < 0 ? text.Length : firstComma);
        var (outputFirst, outputLast) = Trim(text, text.LastIndexOf(',') + 1, text.Length);
        return ((inputFirst, inputLast - inputFirst), (outputFirst, outputLast - outputFirst));
    }

    /// <summary>The first item: a width such as <c>784</c> or an image shape such as <c>1x28x28</c>.</summary>
    private static SyntaxProblem? ParseInput(string text, int start, int end, out InputItem? input)
    {
        input = null;
        var (problem, from, to) = Read(text, start, end);
        if (problem is not null)
        {
            return problem;
        }
        string body = text.Substring(from, to - from);
        int length = to - from;
        if (body.StartsWith(TokensName + "(", System.StringComparison.Ordinal) || body == TokensName)
        {
            var tokensProblem = ParseTokens(body, from, out var tokens);
            if (tokensProblem is null)
            {
                input = new InputItem(tokens!, from, length);
            }
            return tokensProblem;
        }
        if (IsLetter(body[0]))
        {
            return new SyntaxProblem(from, length,
                $"the first item is the input, a width such as 784, an image shape such as 1x28x28 or token ids such as tokens(20000, 128); found '{Escape(body)}'");
        }
        if (IsImageShape(body))
        {
            var shapeProblem = ParseImageShape(body, from, out var shape);
            if (shapeProblem is null)
            {
                input = new InputItem(shape!, from, length);
            }
            return shapeProblem;
        }
        var widthProblem = ParseWidth(body, from, "layer width", out long width);
        if (widthProblem is null)
        {
            input = new InputItem(TensorShape.Vector(width), from, length);
        }
        return widthProblem;
    }

    /// <summary>Any later item: a width (a fully connected layer) or a named item of <see cref="LayerKinds"/>.</summary>
    private static SyntaxProblem? ParseLayer(string text, int start, int end, out LayerSpec? layer)
    {
        layer = null;
        var (problem, from, to) = Read(text, start, end);
        if (problem is not null)
        {
            return problem;
        }
        string body = text.Substring(from, to - from);
        int length = to - from;
        if (body.StartsWith(TokensName + "(", System.StringComparison.Ordinal))
        {
            return new SyntaxProblem(from, length, $"token ids such as {Escape(body)} can only be the first item (the input)");
        }
        if (IsLetter(body[0]))
        {
            return ParseCall(text, from, to, out layer);
        }
        if (IsImageShape(body))
        {
            return ParseImageShape(body, from, out _)
                ?? new SyntaxProblem(from, length, $"an image shape such as {body} can only be the first item (the input)");
        }
        var widthProblem = ParseWidth(body, from, "layer width", out long width);
        if (widthProblem is null)
        {
            layer = new DenseSpec(width, from, length);
        }
        return widthProblem;
    }

    /// <summary>The item between <paramref name="start"/> and <paramref name="end"/>, trimmed; a problem when it is empty.</summary>
    private static (SyntaxProblem? Problem, int From, int To) Read(string text, int start, int end)
    {
        var (from, to) = Trim(text, start, end);
        if (from != to)
        {
            return (null, from, to);
        }
        string where = text.Length == 0 ? "the list is empty"
            : end == text.Length && start > 0 ? "nothing after the last comma"
            : start == 0 ? "nothing before the first comma"
            : "two commas with nothing between them";
        return (new SyntaxProblem(start, end - start, $"expected a layer width, found {where}"), from, to);
    }

    private static bool IsImageShape(string body) => body.IndexOf('x') > 0 && !body.StartsWith("0x", System.StringComparison.Ordinal);

    /// <summary>A positive whole number that fits in an int, with v1's messages for what is wrong.</summary>
    private static SyntaxProblem? ParseWidth(string item, int offset, string what, out long value)
    {
        value = 0;
        for (int i = 0; i < item.Length; i++)
        {
            char c = item[i];
            if (char.IsWhiteSpace(c))
            {
                string kind = c == ' ' ? "a space" : c == '\t' ? "a tab" : $"the whitespace character U+{(int)c:X4}";
                return new SyntaxProblem(offset + i, 1, $"'{Escape(item)}' contains {kind}; separate widths with commas");
            }
            if (c == '-' && i == 0 && item.Length > 1 && IsAsciiDigits(item.Substring(1)))
            {
                return new SyntaxProblem(offset, item.Length, $"{what} {item} is negative; widths must be positive");
            }
            if (c < '0' || c > '9')
            {
                return new SyntaxProblem(offset, item.Length, $"'{Escape(item)}' is not a whole number; a layer is {LayerKinds.KnownItems}");
            }
        }
        if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
        {
            return new SyntaxProblem(offset, item.Length, $"{what} {item} is too large (at most {int.MaxValue})");
        }
        if (parsed == 0)
        {
            return new SyntaxProblem(offset, item.Length, $"a {what} of 0 has no units; widths must be positive");
        }
        value = parsed;
        return null;
    }

    /// <summary>The input item of a text network: <c>tokens(V, L)</c>.</summary>
    private const string TokensName = "tokens";

    /// <summary>
    /// <c>tokens(V, L)</c>: L token ids per example, each below the vocabulary size V (id 0 is the padding): two positive
    /// whole numbers, the vocabulary at least 2 (the padding and one token).
    /// </summary>
    private static SyntaxProblem? ParseTokens(string item, int offset, out TensorShape? shape)
    {
        shape = null;
        const string Usage = "write tokens(V, L): the vocabulary size and the number of ids per example, e.g. tokens(20000, 128)";
        int open = TokensName.Length;
        if (item.Length <= open || item[open] != '(' || item[item.Length - 1] != ')')
        {
            return new SyntaxProblem(offset, item.Length, $"'{Escape(item)}' is not token ids: {Usage}");
        }
        var parts = item.Substring(open + 1, item.Length - open - 2).Split(',');
        if (parts.Length != 2)
        {
            return new SyntaxProblem(offset, item.Length, $"'{Escape(item)}' has {parts.Length} argument{(parts.Length == 1 ? "" : "s")}: {Usage}");
        }
        var sizes = new long[2];
        string[] names = { "vocabulary size", "token length" };
        int position = offset + open + 1;
        for (int i = 0; i < 2; i++)
        {
            string part = parts[i];
            int leading = part.Length - part.TrimStart().Length;
            string number = part.Trim();
            if (number.Length == 0)
            {
                return new SyntaxProblem(offset, item.Length, $"'{Escape(item)}' is missing its {names[i]}: {Usage}");
            }
            var problem = ParseWidth(number, position + leading, names[i], out sizes[i]);
            if (problem is not null)
            {
                return problem with { Message = problem.Message.Replace("widths must be positive", "it must be positive").Replace("; a layer is " + LayerKinds.KnownItems, ": " + Usage) };
            }
            position += part.Length + 1;
        }
        if (sizes[0] < 2)
        {
            return new SyntaxProblem(offset, item.Length, $"a vocabulary of {sizes[0]} has no token besides the padding (id 0): {Usage}");
        }
        shape = TensorShape.Tokens(sizes[0], sizes[1]);
        return null;
    }

    /// <summary><c>CxHxW</c>: three positive whole numbers separated by <c>x</c>.</summary>
    private static SyntaxProblem? ParseImageShape(string item, int offset, out TensorShape? shape)
    {
        shape = null;
        var parts = item.Split('x');
        if (parts.Length != 3)
        {
            return new SyntaxProblem(offset, item.Length,
                $"'{Escape(item)}' is not an image shape: write channels x height x width, e.g. 1x28x28 or 3x32x32");
        }
        var sizes = new long[3];
        int position = offset;
        string[] names = { "channels", "height", "width" };
        for (int i = 0; i < 3; i++)
        {
            if (parts[i].Length == 0)
            {
                return new SyntaxProblem(offset, item.Length, $"'{Escape(item)}' is missing its {names[i]}: write channels x height x width, e.g. 1x28x28");
            }
            var problem = ParseWidth(parts[i], position, "the image " + names[i], out sizes[i]);
            if (problem is not null)
            {
                return problem with { Message = problem.Message.Replace("widths must be positive", "image sizes must be positive").Replace("separate widths with commas", "write e.g. 1x28x28") };
            }
            position += parts[i].Length + 1;
        }
        shape = TensorShape.Image(sizes[0], sizes[1], sizes[2]);
        return null;
    }

    /// <summary>A named item, with or without arguments: <c>bn</c>, <c>conv(32, 3, stride: 2)</c>.</summary>
    private static SyntaxProblem? ParseCall(string text, int from, int to, out LayerSpec? item)
    {
        item = null;
        int nameEnd = from;
        while (nameEnd < to && (IsLetter(text[nameEnd]) || char.IsDigit(text[nameEnd])))
        {
            nameEnd++;
        }
        string name = text.Substring(from, nameEnd - from);
        int length = to - from;
        if (LayerKinds.Find(name) is not { } kind)
        {
            string lower = name.ToLowerInvariant();
            string hint = LayerKinds.Find(lower) is not null ? $"; names are lower case: {lower}" : $"; a layer is {LayerKinds.KnownItems}";
            return new SyntaxProblem(from, nameEnd - from, $"'{Escape(name)}' is not a layer{hint}");
        }
        var signature = kind.Signature;

        int open = nameEnd;
        while (open < to && text[open] == ' ')
        {
            open++;
        }
        var arguments = new List<(string? Name, string Value, int Start, int Length, int ValueStart)>();
        if (open < to)
        {
            if (text[open] != '(' || text[to - 1] != ')')
            {
                return new SyntaxProblem(from, length, $"'{Escape(text.Substring(from, length))}' is not a layer; write {signature.Example}");
            }
            var problem = SplitArguments(text, open + 1, to - 1, arguments);
            if (problem is not null)
            {
                return problem;
            }
        }

        if (signature.Positional.Length == 0 && open < to)
        {
            return new SyntaxProblem(from, length, $"{name} takes no arguments; write {signature.Example}");
        }
        int positional = 0;
        bool sawNamed = false;
        var bound = new BoundArguments(name, from, length);
        var given = new HashSet<string>();
        foreach (var argument in arguments)
        {
            if (argument.Name is null)
            {
                if (sawNamed)
                {
                    return new SyntaxProblem(argument.Start, argument.Length, $"{name}: positional arguments come before named ones; write {signature.Example}");
                }
                if (positional == signature.Positional.Length)
                {
                    return new SyntaxProblem(argument.Start, argument.Length,
                        $"{name} takes {Count(signature.Positional.Length, "positional argument")} ({string.Join(", ", signature.Positional)}); write {signature.Example}");
                }
                bound.Add(signature.Positional[positional++], argument.Value, argument.Start, argument.Length);
                continue;
            }
            if (System.Array.IndexOf(signature.Named, argument.Name) < 0)
            {
                string allowed = signature.Named.Length == 0 ? "it has none" : "it has " + string.Join(" and ", signature.Named);
                return new SyntaxProblem(argument.Start, argument.Length, $"{name} has no named argument '{Escape(argument.Name)}'; {allowed}");
            }
            if (!given.Add(argument.Name))
            {
                return new SyntaxProblem(argument.Start, argument.Length, $"{name} gives '{argument.Name}' twice");
            }
            sawNamed = true;
            bound.Add(argument.Name, argument.Value, argument.ValueStart, argument.Value.Length);
        }
        if (positional < signature.Positional.Length)
        {
            return new SyntaxProblem(from, length,
                $"{name} needs its {string.Join(" and ", signature.Positional)}; write {signature.Example}");
        }
        return kind.Bind(bound, out item);
    }

    /// <summary>Splits <c>32, 3, stride: 2</c> (between the parentheses) into arguments, each trimmed.</summary>
    private static SyntaxProblem? SplitArguments(string text, int from, int to, List<(string? Name, string Value, int Start, int Length, int ValueStart)> arguments)
    {
        int start = from;
        for (int i = from; i <= to; i++)
        {
            if (i < to && text[i] != ',')
            {
                continue;
            }
            var (first, last) = Trim(text, start, i);
            if (first == last)
            {
                if (i == to && start == from && arguments.Count == 0)
                {
                    return null; // "()"
                }
                return new SyntaxProblem(first < text.Length ? first : text.Length - 1, 1, "an argument is missing between the commas");
            }
            string argument = text.Substring(first, last - first);
            int colon = argument.IndexOf(':');
            if (colon < 0)
            {
                arguments.Add((null, argument, first, last - first, first));
            }
            else
            {
                string name = argument.Substring(0, colon).TrimEnd(' ');
                string value = argument.Substring(colon + 1).TrimStart(' ');
                if (name.Length == 0 || value.Length == 0)
                {
                    return new SyntaxProblem(first, last - first, $"'{Escape(argument)}' is not an argument: write name: value, e.g. stride: 2");
                }
                arguments.Add((name, value, first, last - first, last - value.Length));
            }
            start = i + 1;
        }
        return null;
    }

    private static string Count(int n, string what) => n + " " + what + (n == 1 ? "" : "s");

    /// <summary>The item between <paramref name="start"/> and <paramref name="end"/> without its surrounding spaces.</summary>
    private static (int First, int Last) Trim(string text, int start, int end)
    {
        int first = start, last = end;
        while (first < last && text[first] == ' ')
        {
            first++;
        }
        while (last > first && text[last - 1] == ' ')
        {
            last--;
        }
        return (first, last);
    }

    private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

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

    /// <summary>Tabs and line breaks shown as escapes, so that a message stays on one line.</summary>
    internal static string Escape(string s) => s.Replace("\t", "\\t").Replace("\r", "\\r").Replace("\n", "\\n");
}
