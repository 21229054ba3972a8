using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeclarativeDistill.CodeFixes;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>The code fixes, applied to the generator's own diagnostics in a workspace.</summary>
public class CodeFixTests
{
    [Fact]
    public async Task Adds_partial_to_the_class()
    {
        var fixes = await Fix(new AddPartialCodeFix(), """
            using DeclarativeDistill;
            namespace Demo;

            /// <summary>The teacher.</summary>
            [Teacher(Layers = "4,8,2")]
            public sealed class T { }
            """);

        var (title, text) = Assert.Single(fixes);
        Assert.Equal("Make 'T' partial", title);
        Assert.Contains("public sealed partial class T { }", text);
        Assert.Empty(GeneratorHarness.Run(text).Diagnostics);
    }

    [Fact]
    public async Task Adds_partial_to_a_class_without_modifiers_keeping_its_comment()
    {
        var fixes = await Fix(new AddPartialCodeFix(), """
            using DeclarativeDistill;
            [Teacher(Layers = "4,8,2")]
            class T { }
            """);

        Assert.Contains("[Teacher(Layers = \"4,8,2\")]\npartial class T { }", Assert.Single(fixes).Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Adds_partial_to_the_containing_types()
    {
        var fixes = await Fix(new AddPartialCodeFix(), """
            using DeclarativeDistill;
            public static class Models
            {
                [Teacher(Layers = "4,8,2")]
                public partial class T { }
            }
            """);

        var (title, text) = Assert.Single(fixes);
        Assert.Equal("Make 'Models' partial", title);
        Assert.Contains("public static partial class Models", text);
        Assert.Empty(GeneratorHarness.Run(text).Diagnostics);
    }

    [Fact]
    public async Task Offers_each_candidate_when_the_teacher_is_ambiguous()
    {
        var fixes = await Fix(new NameTeacherCodeFix(), """
            using DeclarativeDistill;
            namespace Demo;
            [Teacher(Layers = "4,16,2")] public partial class Big { }
            [Teacher(Layers = "4,32,2")] public partial class Bigger { }
            [Student(Layers = "4,2")]
            [Distill(Temperature = 3)]
            public partial class S { }
            """);

        Assert.Equal(new[] { "Learn from 'Demo.Big'", "Learn from 'Demo.Bigger'" }, fixes.Select(f => f.Title));
        Assert.Contains("[Distill(typeof(Big), Temperature = 3)]", fixes[0].Text);
        Assert.Contains("[Distill(typeof(Bigger), Temperature = 3)]", fixes[1].Text);
        Assert.Empty(GeneratorHarness.Run(fixes[0].Text).Diagnostics);
    }

    [Fact]
    public async Task An_unknown_hint_layer_offers_the_closest_layer_names()
    {
        var fixes = await Fix(new UseLayerCodeFix(), """
            using DeclarativeDistill;
            namespace Demo;
            [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), gap, 10")] public partial class T { }
            [Student(Layers = "1x28x28, conv(8, 3, pad: 1), maxpool(2), conv(8, 3, pad: 1), 10")]
            [Distill(typeof(T))]
            [Hint("res3", "conv2")]
            public partial class S { }
            """);

        Assert.Equal(new[] { "Use layer 'res1'", "Use layer 'res2'", "Use layer 'bn1'" }, fixes.Select(f => f.Title));
        Assert.Contains("[Hint(\"res2\", \"conv2\")]", fixes[1].Text);
        Assert.Empty(GeneratorHarness.Run(fixes[1].Text).Diagnostics);
    }

    /// <summary>Every fix the provider offers for the generator's diagnostics, as (title, fixed source).</summary>
    private static async Task<List<(string Title, string Text)>> Fix(CodeFixProvider provider, string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Tests", "Tests", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.Compilation().References));
        var document = workspace.AddDocument(project.Id, "Source0.cs", Microsoft.CodeAnalysis.Text.SourceText.From(source));

        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult().Diagnostics
            .Where(d => provider.FixableDiagnosticIds.Contains(d.Id))
            .ToList();
        Assert.NotEmpty(diagnostics);

        var actions = new List<CodeAction>();
        foreach (var diagnostic in diagnostics)
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
        }

        var results = new List<(string, string)>();
        foreach (var action in actions)
        {
            var operation = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
            var changed = operation.ChangedSolution.GetDocument(document.Id)!;
            results.Add((action.Title, (await changed.GetTextAsync()).ToString()));
        }
        return results;
    }
}
