using System.Collections.Generic;
using System.Globalization;

namespace DeclarativeDistill.Generators.Architecture;

/// <summary>
/// The front end of the architecture grammar: a <c>Layers</c> string such as
/// <c>"1x28x28, conv(32, 3), maxpool(2), 128, 10"</c> into its items with their positions. Only the grammar is
/// judged here (names, arguments, values); shapes are <see cref="ShapeRules"/>' job.
/// </summary>
internal static class ArchitectureParser
{
    /// <summary>A problem at <see cref="Start"/> (0-based, in the string) spanning <see cref="Length"/> characters.</summary>
    public sealed record Problem(int Start, int Length, string Message);

    /// <summary>The items written: the input first, then the layers.</summary>
    public sealed record Items(InputSpec Input, IReadOnlyList<LayerSpec> Layers);

    private const string KnownItems = "a width such as 128, conv(C, K), dwconv(K), maxpool(K), avgpool(K), bn, res(C), gap, flatten or dropout(p)";

    /// <summary>
    /// Splits on the commas outside parentheses and reads each item. Returns the items, or the first problem.
    /// A list of fewer than two items is returned as it is: the caller reports it.
    /// </summary>
    public static (Items? Items, int Count, Problem? Problem) Parse(string text)
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
                    return (null, 0, new Problem(i, 1, "')' closes no '('"));
                }
            }
            else if (c == ',' && (depth == 0 || i == text.Length))
            {
                if (depth > 0)
                {
                    var (first, last) = Trim(text, itemStart, text.Length);
                    return (null, 0, new Problem(open, 1, $"'{Escape(text.Substring(first, last - first))}' has no closing parenthesis"));
                }
                spans.Add((itemStart, i));
                itemStart = i + 1;
            }
        }

        InputSpec? input = null;
        var layers = new List<LayerSpec>();
        for (int n = 0; n < spans.Count; n++)
        {
            var (start, end) = spans[n];
            var problem = ParseItem(text, start, end, first: n == 0, out var item);
            if (problem is not null)
            {
                return (null, 0, problem);
            }
            if (item is InputSpec inputItem)
            {
                input = inputItem;
            }
            else
            {
                layers.Add(item!);
            }
        }
        return (new Items(input!, layers), spans.Count, null);
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

    private static Problem? ParseItem(string text, int start, int end, bool first, out LayerSpec? item)
    {
        item = null;
        var (from, to) = Trim(text, start, end);
        if (from == to)
        {
            string where = text.Length == 0 ? "the list is empty"
                : end == text.Length && start > 0 ? "nothing after the last comma"
                : start == 0 ? "nothing before the first comma"
                : "two commas with nothing between them";
            return new Problem(start, end - start, $"expected a layer width, found {where}");
        }
        string body = text.Substring(from, to - from);
        int length = to - from;

        if (IsLetter(body[0]))
        {
            if (first)
            {
                return new Problem(from, length,
                    $"the first item is the input, a width such as 784 or an image shape such as 1x28x28; found '{Escape(body)}'");
            }
            return ParseCall(text, from, to, out item);
        }

        if (body.IndexOf('x') > 0 && !body.StartsWith("0x", System.StringComparison.Ordinal))
        {
            var problem = ParseImageShape(body, from, out var shape);
            if (problem is not null)
            {
                return problem;
            }
            if (!first)
            {
                return new Problem(from, length, $"an image shape such as {body} can only be the first item (the input)");
            }
            item = new InputSpec(shape!, from, length);
            return null;
        }

        var widthProblem = ParseWidth(body, from, "layer width", out long width);
        if (widthProblem is not null)
        {
            return widthProblem;
        }
        item = first ? new InputSpec(TensorShape.Vector(width), from, length) : new DenseSpec(width, from, length);
        return null;
    }

    /// <summary>A positive whole number that fits in an int, with v1's messages for what is wrong.</summary>
    private static Problem? ParseWidth(string item, int offset, string what, out long value)
    {
        value = 0;
        for (int i = 0; i < item.Length; i++)
        {
            char c = item[i];
            if (char.IsWhiteSpace(c))
            {
                string kind = c == ' ' ? "a space" : c == '\t' ? "a tab" : $"the whitespace character U+{(int)c:X4}";
                return new Problem(offset + i, 1, $"'{Escape(item)}' contains {kind}; separate widths with commas");
            }
            if (c == '-' && i == 0 && item.Length > 1 && IsAsciiDigits(item.Substring(1)))
            {
                return new Problem(offset, item.Length, $"{what} {item} is negative; widths must be positive");
            }
            if (c < '0' || c > '9')
            {
                return new Problem(offset, item.Length, $"'{Escape(item)}' is not a whole number; a layer is {KnownItems}");
            }
        }
        if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
        {
            return new Problem(offset, item.Length, $"{what} {item} is too large (at most {int.MaxValue})");
        }
        if (parsed == 0)
        {
            return new Problem(offset, item.Length, $"a {what} of 0 has no units; widths must be positive");
        }
        value = parsed;
        return null;
    }

    /// <summary><c>CxHxW</c>: three positive whole numbers separated by <c>x</c>.</summary>
    private static Problem? ParseImageShape(string item, int offset, out TensorShape? shape)
    {
        shape = null;
        var parts = item.Split('x');
        if (parts.Length != 3)
        {
            return new Problem(offset, item.Length,
                $"'{Escape(item)}' is not an image shape: write channels x height x width, e.g. 1x28x28 or 3x32x32");
        }
        var sizes = new long[3];
        int position = offset;
        string[] names = { "channels", "height", "width" };
        for (int i = 0; i < 3; i++)
        {
            if (parts[i].Length == 0)
            {
                return new Problem(offset, item.Length, $"'{Escape(item)}' is missing its {names[i]}: write channels x height x width, e.g. 1x28x28");
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

    /// <summary>The arguments a call item takes: its positional ones, in order, then the named ones it allows.</summary>
    private sealed record Signature(string Example, string[] Positional, string[] Named);

    private static readonly Dictionary<string, Signature> Signatures = new()
    {
        ["conv"] = new("conv(32, 3) or conv(64, 3, stride: 2, pad: 1)", new[] { "channels", "kernel" }, new[] { "stride", "pad" }),
        ["dwconv"] = new("dwconv(3) or dwconv(3, stride: 2, pad: 1)", new[] { "kernel" }, new[] { "stride", "pad" }),
        ["maxpool"] = new("maxpool(2) or maxpool(3, stride: 2)", new[] { "kernel" }, new[] { "stride" }),
        ["avgpool"] = new("avgpool(2) or avgpool(3, stride: 2)", new[] { "kernel" }, new[] { "stride" }),
        ["res"] = new("res(16) or res(32, stride: 2)", new[] { "channels" }, new[] { "stride" }),
        ["dropout"] = new("dropout(0.25)", new[] { "p" }, new string[0]),
        ["bn"] = new("bn", new string[0], new string[0]),
        ["gap"] = new("gap", new string[0], new string[0]),
        ["flatten"] = new("flatten", new string[0], new string[0]),
    };

    /// <summary>A named item, with or without arguments: <c>bn</c>, <c>conv(32, 3, stride: 2)</c>.</summary>
    private static Problem? ParseCall(string text, int from, int to, out LayerSpec? item)
    {
        item = null;
        int nameEnd = from;
        while (nameEnd < to && (IsLetter(text[nameEnd]) || char.IsDigit(text[nameEnd])))
        {
            nameEnd++;
        }
        string name = text.Substring(from, nameEnd - from);
        int length = to - from;
        if (!Signatures.TryGetValue(name, out var signature))
        {
            string lower = name.ToLowerInvariant();
            string hint = Signatures.ContainsKey(lower) ? $"; names are lower case: {lower}" : $"; a layer is {KnownItems}";
            return new Problem(from, nameEnd - from, $"'{Escape(name)}' is not a layer{hint}");
        }

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
                return new Problem(from, length, $"'{Escape(text.Substring(from, length))}' is not a layer; write {signature.Example}");
            }
            var problem = SplitArguments(text, open + 1, to - 1, arguments);
            if (problem is not null)
            {
                return problem;
            }
        }

        if (signature.Positional.Length == 0 && (open < to))
        {
            return new Problem(from, length, $"{name} takes no arguments; write {signature.Example}");
        }
        int positional = 0;
        bool sawNamed = false;
        var named = new Dictionary<string, (string Value, int Start, int Length)>();
        foreach (var argument in arguments)
        {
            if (argument.Name is null)
            {
                if (sawNamed)
                {
                    return new Problem(argument.Start, argument.Length, $"{name}: positional arguments come before named ones; write {signature.Example}");
                }
                if (positional == signature.Positional.Length)
                {
                    return new Problem(argument.Start, argument.Length,
                        $"{name} takes {Count(signature.Positional.Length, "positional argument")} ({string.Join(", ", signature.Positional)}); write {signature.Example}");
                }
                named[signature.Positional[positional++]] = (argument.Value, argument.Start, argument.Length);
                continue;
            }
            if (System.Array.IndexOf(signature.Named, argument.Name) < 0)
            {
                string allowed = signature.Named.Length == 0 ? "it has none" : "it has " + string.Join(" and ", signature.Named);
                return new Problem(argument.Start, argument.Length, $"{name} has no named argument '{Escape(argument.Name)}'; {allowed}");
            }
            if (named.ContainsKey(argument.Name))
            {
                return new Problem(argument.Start, argument.Length, $"{name} gives '{argument.Name}' twice");
            }
            sawNamed = true;
            named[argument.Name] = (argument.Value, argument.ValueStart, argument.Value.Length);
        }
        if (positional < signature.Positional.Length)
        {
            return new Problem(from, length,
                $"{name} needs its {string.Join(" and ", signature.Positional)}; write {signature.Example}");
        }

        if (name == "dropout")
        {
            var (value, start, size) = named["p"];
            if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double p) || !(p >= 0 && p < 1))
            {
                return new Problem(start, size, $"dropout needs a probability in [0, 1), e.g. dropout(0.25); found '{Escape(value)}'");
            }
            item = new DropoutSpec(p, from, length);
            return null;
        }

        var numbers = new Dictionary<string, long>();
        foreach (var pair in named)
        {
            bool mayBeZero = pair.Key == "pad";
            var problem = ParseArgument(name, pair.Key, pair.Value.Value, pair.Value.Start, pair.Value.Length, mayBeZero, out long number);
            if (problem is not null)
            {
                return problem;
            }
            numbers[pair.Key] = number;
        }
        long Get(string key, long otherwise) => numbers.TryGetValue(key, out long v) ? v : otherwise;

        item = name switch
        {
            "conv" => new ConvSpec(numbers["channels"], numbers["kernel"], Get("stride", 1), Get("pad", 0), Depthwise: false, from, length),
            "dwconv" => new ConvSpec(0, numbers["kernel"], Get("stride", 1), Get("pad", 0), Depthwise: true, from, length),
            "maxpool" => new PoolSpec(PoolKind.Max, numbers["kernel"], Get("stride", numbers["kernel"]), from, length),
            "avgpool" => new PoolSpec(PoolKind.Average, numbers["kernel"], Get("stride", numbers["kernel"]), from, length),
            "res" => new ResidualSpec(numbers["channels"], Get("stride", 1), from, length),
            "bn" => new BatchNormSpec(from, length),
            "gap" => new GlobalAvgPoolSpec(from, length),
            _ => new FlattenSpec(Implicit: false, from, length),
        };
        return null;
    }

    /// <summary>Splits <c>32, 3, stride: 2</c> (between the parentheses) into arguments, each trimmed.</summary>
    private static Problem? SplitArguments(string text, int from, int to, List<(string? Name, string Value, int Start, int Length, int ValueStart)> arguments)
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
                return new Problem(first < text.Length ? first : text.Length - 1, 1, "an argument is missing between the commas");
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
                    return new Problem(first, last - first, $"'{Escape(argument)}' is not an argument: write name: value, e.g. stride: 2");
                }
                arguments.Add((name, value, first, last - first, last - value.Length));
            }
            start = i + 1;
        }
        return null;
    }

    private static Problem? ParseArgument(string item, string name, string value, int start, int length, bool mayBeZero, out long number)
    {
        number = 0;
        if (!IsAsciiDigits(value))
        {
            return new Problem(start, length, $"{item}'s {name} must be a whole number; found '{Escape(value)}'");
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
        {
            return new Problem(start, length, $"{item}'s {name} {value} is too large (at most {int.MaxValue})");
        }
        if (parsed == 0 && !mayBeZero)
        {
            return new Problem(start, length, $"{item}'s {name} must be at least 1; found 0");
        }
        number = parsed;
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

    private static string Escape(string s) => s.Replace("\t", "\\t").Replace("\r", "\\r").Replace("\n", "\\n");
}
