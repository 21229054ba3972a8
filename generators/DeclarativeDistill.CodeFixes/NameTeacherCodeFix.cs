using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using DeclarativeDistill.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace DeclarativeDistill.CodeFixes;

/// <summary>DD0033: when several teachers could be meant, offers to name each one in <c>[Distill]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NameTeacherCodeFix)), Shared]
public sealed class NameTeacherCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.AmbiguousTeacher);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null; // which teacher is a choice per student

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return;
        }
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticIds.FixDataProperty, out var candidates) || string.IsNullOrEmpty(candidates))
            {
                continue;
            }
            foreach (string teacher in candidates!.Split(';'))
            {
                string shown = teacher.StartsWith("global::", System.StringComparison.Ordinal) ? teacher.Substring("global::".Length) : teacher;
                context.RegisterCodeFix(
                    CodeAction.Create($"Learn from '{shown}'",
                        token => Simplifier.ReduceAsync(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, NameTeacher(attribute, teacher))),
                            Simplifier.Annotation, cancellationToken: token),
                        equivalenceKey: DiagnosticIds.AmbiguousTeacher + teacher),
                    diagnostic);
            }
        }
    }

    /// <summary><c>[Distill(Temperature = 3)]</c> becomes <c>[Distill(typeof(Teacher), Temperature = 3)]</c>.</summary>
    private static AttributeSyntax NameTeacher(AttributeSyntax attribute, string teacher)
    {
        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(teacher).WithAdditionalAnnotations(Simplifier.Annotation)));
        var arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        return attribute.WithArgumentList(arguments.WithArguments(arguments.Arguments.Insert(0, argument)));
    }
}
