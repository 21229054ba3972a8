using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DeclarativeDistill.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclarativeDistill.CodeFixes;

/// <summary>DD0060: a hint names a layer its network does not have; offers the network's closest layer names.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseLayerCodeFix)), Shared]
public sealed class UseLayerCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.LayerNotFound);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null; // which layer is meant is a choice per hint

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
            || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return;
        }
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticIds.FixDataProperty, out var candidates) || string.IsNullOrEmpty(candidates))
            {
                continue;
            }
            foreach (string layer in candidates!.Split(';'))
            {
                var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(layer))
                    .WithTriviaFrom(literal);
                context.RegisterCodeFix(
                    CodeAction.Create($"Use layer '{layer}'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement))),
                        equivalenceKey: DiagnosticIds.LayerNotFound + layer),
                    diagnostic);
            }
        }
    }
}
