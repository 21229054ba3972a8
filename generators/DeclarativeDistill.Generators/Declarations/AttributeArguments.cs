using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>
/// The values of one attribute application together with where each argument was written, so that a
/// diagnostic lands on the argument that is wrong rather than on the class.
/// </summary>
internal sealed class AttributeArguments
{
    private readonly AttributeData data;
    private readonly AttributeSyntax? syntax;
    private LocationInfo? location;

    public AttributeArguments(AttributeData data, CancellationToken cancellationToken)
    {
        this.data = data;
        syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
    }

    /// <summary>The whole attribute, e.g. <c>Teacher(Layers = "...")</c>; computed once, when first asked for.</summary>
    public LocationInfo? Location => location ??= LocationInfo.From(syntax);

    /// <summary>
    /// Where <paramref name="node"/> (a part of this attribute) is. An attribute on one line (nearly all) gives its
    /// parts' lines and columns by arithmetic from its own, which saves a line lookup per argument: the attribute
    /// transform runs for every declaration after every edit.
    /// </summary>
    private LocationInfo? Locate(SyntaxNode? node)
    {
        if (node is null || syntax is null)
        {
            return LocationInfo.From(node);
        }
        var whole = Location;
        if (whole is null || whole.LineSpan.Start.Line != whole.LineSpan.End.Line)
        {
            return LocationInfo.From(node);
        }
        var span = node.Span;
        int column = whole.LineSpan.Start.Character + (span.Start - whole.Span.Start);
        return new LocationInfo(whole.FilePath, span,
            new LinePositionSpan(new LinePosition(whole.LineSpan.Start.Line, column), new LinePosition(whole.LineSpan.Start.Line, column + span.Length)));
    }

    /// <summary>True when the argument was written and has a well-typed value (a mistyped one is the compiler's error).</summary>
    public bool TryGetValue(string name, out TypedConstant value)
    {
        foreach (var argument in data.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Kind != TypedConstantKind.Error)
            {
                value = argument.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool TryGetDouble(string name, out double value)
    {
        value = double.NaN;
        if (TryGetValue(name, out var constant) && constant.Value is IConvertible convertible)
        {
            value = convertible.ToDouble(CultureInfo.InvariantCulture);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Reports every named argument that is written but does not type-check (<c>Layers = 784</c>), and
    /// positional arguments that bind no constructor (<c>[Distill("Teacher")]</c>), saying what is expected.
    /// </summary>
    public bool ReportWrongTypes(IReadOnlyDictionary<string, string> expected, string? positionalExpectation, List<DiagnosticInfo> diagnostics)
    {
        bool wrong = false;
        foreach (var argument in data.NamedArguments)
        {
            if (argument.Value.Kind == TypedConstantKind.Error && expected.TryGetValue(argument.Key, out var expectation))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongArgumentType, LocationOf(argument.Key), argument.Key, expectation));
                wrong = true;
            }
        }
        // A value the compiler cannot convert leaves the argument out of NamedArguments, or (1.5 for an int) bound truncated.
        foreach (var argument in syntax?.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText is not { } name || !expected.TryGetValue(name, out var expectation))
            {
                continue;
            }
            var bound = data.NamedArguments.Where(a => a.Key == name).Select(a => (TypedConstant?)a.Value).FirstOrDefault();
            if (bound is null || (bound.Value.Value is int && argument.Expression is LiteralExpressionSyntax { Token.Value: double or float or decimal }))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongArgumentType, Locate(argument.Expression), name, expectation));
                wrong = true;
            }
        }
        if (data.AttributeConstructor is null && syntax?.ArgumentList is { } list)
        {
            var positional = list.Arguments.FirstOrDefault(a => a.NameEquals is null);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongArgumentType,
                Locate(positional?.Expression) ?? Location,
                positional is null ? syntax.Name.ToString() : $"[{syntax.Name}({positional})]",
                positionalExpectation ?? "no positional arguments"));
            wrong = true;
        }
        return wrong;
    }

    /// <summary>Whether the argument appears in source at all (even if its value does not type-check).</summary>
    public bool IsWritten(string name) =>
        data.NamedArguments.Any(a => a.Key == name) || NamedExpression(name) is not null;

    /// <summary>The expression written for a named argument, e.g. the literal after <c>Layers =</c>.</summary>
    public ExpressionSyntax? NamedExpression(string name) =>
        syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression;

    /// <summary>The argument's location, or the attribute's when the argument is not in source.</summary>
    public LocationInfo? LocationOf(string name) => Locate(NamedExpression(name)) ?? Location;

    /// <summary>
    /// The location of characters <paramref name="start"/>..+<paramref name="length"/> of a string argument's
    /// value, when the literal spells its value plainly; otherwise the whole argument.
    /// </summary>
    public LocationInfo? LocationWithin(string name, string value, int start, int length)
    {
        if (NamedExpression(name) is LiteralExpressionSyntax literal
            && literal.Token.IsKind(SyntaxKind.StringLiteralToken)
            && literal.Token.Text == "\"" + value + "\"")
        {
            return Locate(literal) is { } whole
                ? new LiteralLocation(whole.FilePath, whole.Span.Start, whole.LineSpan.Start.Line, whole.LineSpan.Start.Character).Within(start, Math.Max(length, 1))
                : null;
        }
        return LocationOf(name);
    }

    /// <summary>
    /// The attribute as plain data for the analysis: every named argument written (in source or in metadata), its value,
    /// whether it type-checks, and where it is.
    /// </summary>
    public AttributeCapture Capture()
    {
        // One pass over what the compiler bound and one over the syntax: this runs for every declaration after every edit.
        var written = syntax?.ArgumentList?.Arguments ?? default;
        var captured = new List<ArgumentCapture>(data.NamedArguments.Length);
        foreach (var argument in data.NamedArguments)
        {
            captured.Add(Capture(argument.Key, argument.Value, Expression(written, argument.Key)));
        }
        foreach (var argument in written)
        {
            // Written but not bound (an unknown property, a value of the wrong type): captured without a value.
            if (argument.NameEquals?.Name.Identifier.ValueText is { } name && !captured.Exists(c => c.Name == name))
            {
                captured.Add(Capture(name, default, argument.Expression));
            }
        }
        return new AttributeCapture(Location, captured.ToEquatableArray());
    }

    private ArgumentCapture Capture(string name, TypedConstant value, ExpressionSyntax? expression)
    {
        bool wellTyped = value.Kind != TypedConstantKind.Error; // also the default of a captured argument the compiler did not bind
        string? text = wellTyped ? value.Value as string : null;
        double? number = wellTyped && value.Value is IConvertible convertible and not string ? convertible.ToDouble(CultureInfo.InvariantCulture) : null;
        var location = Locate(expression);
        LiteralLocation? literal = null;
        if (text is not null && location is not null && expression is LiteralExpressionSyntax plain
            && plain.Token.IsKind(SyntaxKind.StringLiteralToken) && plain.Token.Text.Length == text.Length + 2 && plain.Token.Text == "\"" + text + "\"")
        {
            literal = new LiteralLocation(location.FilePath, location.Span.Start, location.LineSpan.Start.Line, location.LineSpan.Start.Character);
        }
        return new ArgumentCapture(name, wellTyped, text, number, location, literal);
    }

    private static ExpressionSyntax? Expression(SeparatedSyntaxList<AttributeArgumentSyntax> written, string name)
    {
        foreach (var argument in written)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument.Expression;
            }
        }
        return null;
    }

    /// <summary>
    /// The value and location of a property that may also be passed to the constructor, at
    /// <paramref name="position"/>, e.g. <c>[Hint("res2", "conv4")]</c> or <c>[Hint(StudentLayer = "conv4", ...)]</c>.
    /// Written: false when neither form is in source. The value is the default when it does not type-check.
    /// </summary>
    public (TypedConstant Value, bool Written, LocationInfo? Location) PropertyOrPositional(string name, int position)
    {
        if (IsWritten(name))
        {
            TryGetValue(name, out var named);
            return (named, true, LocationOf(name));
        }
        if (data.AttributeConstructor is { } constructor && position < constructor.Parameters.Length && position < data.ConstructorArguments.Length)
        {
            var expressions = PositionalExpressions();
            var value = data.ConstructorArguments[position];
            var location = position < expressions.Count ? Locate(expressions[position]) : Location;
            return (value.Kind == TypedConstantKind.Error ? default : value, true, location);
        }
        return (default, false, Location);
    }

    /// <summary>Whether the constructor was given a null array (<c>[Distill(null)]</c>).</summary>
    public bool HasNullArray =>
        data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0] is { Kind: TypedConstantKind.Array, IsNull: true };

    /// <summary>
    /// The constructor's <c>params Type[]</c> values, each with the location of the <c>typeof</c> that wrote
    /// it; a null element (<c>(Type)null</c>) comes back as a null type with <c>IsNull</c> true.
    /// </summary>
    public IReadOnlyList<(ITypeSymbol? Type, bool IsNull, LocationInfo? Location)> TypeArguments()
    {
        if (HasNullArray)
        {
            return System.Array.Empty<(ITypeSymbol?, bool, LocationInfo?)>();
        }
        var values = data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? data.ConstructorArguments[0].Values
            : data.ConstructorArguments;
        var expressions = PositionalExpressions();
        var result = new List<(ITypeSymbol?, bool, LocationInfo?)>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            var location = i < expressions.Count ? Locate(expressions[i]) : Location;
            bool error = values[i].Kind == TypedConstantKind.Error;
            result.Add((error ? null : values[i].Value as ITypeSymbol, !error && values[i].IsNull, location));
        }
        return result;
    }

    /// <summary>Positional arguments, looking inside an explicit <c>new[] { ... }</c> or <c>new Type[] { ... }</c>.</summary>
    private IReadOnlyList<ExpressionSyntax> PositionalExpressions()
    {
        var positional = syntax?.ArgumentList?.Arguments
            .Where(a => a.NameEquals is null && a.NameColon is null)
            .Select(a => a.Expression)
            .ToList() ?? new List<ExpressionSyntax>();
        if (positional.Count == 1)
        {
            var initializer = positional[0] switch
            {
                ArrayCreationExpressionSyntax array => array.Initializer,
                ImplicitArrayCreationExpressionSyntax array => array.Initializer,
                _ => null,
            };
            if (initializer is not null)
            {
                return initializer.Expressions;
            }
        }
        return positional;
    }
}
