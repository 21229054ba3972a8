using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>
/// The pipeline does only the work an edit calls for: tracked steps report Cached/Unchanged for what did
/// not change, and only the edited declaration's outputs are Modified.
/// </summary>
public class IncrementalityTests
{
    private const string Models = """
        using DeclarativeDistill;
        namespace Demo;

        [Teacher(Layers = "784,1200,1200,10", Dropout = 0.5)]
        public partial class Teacher { }

        [Student(Layers = "784,800,800,10")]
        [Distill(Temperature = 20, Alpha = 0.9)]
        public partial class Student { }

        [Student(Layers = "784,30,10")]
        [Distill(typeof(Teacher), Temperature = 4)]
        public partial class Tiny { }
        """;

    private const string Unrelated = "namespace Demo; public class Helper { public int Value => 1; }";

    [Fact]
    public void The_same_compilation_again_is_fully_cached()
    {
        var compilation = GeneratorHarness.Compilation(Models, Unrelated);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation);

        var result = driver.GetRunResult().Results[0];
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void An_unrelated_edit_regenerates_nothing()
    {
        var result = RunEdited(Unrelated, Unrelated.Replace("=> 1", "=> 2"));

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(Reasons(result, StepNames.TeacherAnalysis).Concat(Reasons(result, StepNames.Distillations)),
            reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void An_unrelated_edit_analyses_no_network_again()
    {
        // Every attribute transform runs again after any edit; the analysis runs only for a declaration that changed.
        var result = RunEdited(Unrelated, Unrelated.Replace("=> 1", "=> 2"));

        Assert.All(Reasons(result, StepNames.TeacherDeclarations).Concat(Reasons(result, StepNames.StudentDeclarations)),
            reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(Reasons(result, StepNames.TeacherAnalysis).Concat(Reasons(result, StepNames.StudentAnalysis)),
            reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.Equal(3, Reasons(result, StepNames.TeacherAnalysis).Concat(Reasons(result, StepNames.StudentAnalysis)).Count());
    }

    [Fact]
    public void Editing_one_temperature_analyses_no_network_again()
    {
        var result = RunEdited(Models, Models.Replace("Temperature = 4", "Temperature = 5"));

        Assert.All(Reasons(result, StepNames.TeacherAnalysis).Concat(Reasons(result, StepNames.StudentAnalysis)),
            reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void Editing_one_temperature_regenerates_only_that_distillation()
    {
        var result = RunEdited(Models, Models.Replace("Temperature = 4", "Temperature = 5"));

        Assert.Equal(1, Reasons(result, StepNames.Distillations).Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, Reasons(result, StepNames.Distillations).Count(r => r != IncrementalStepRunReason.Modified));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.TeacherAnalysis));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.StudentAnalysis));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.NetworkIndex));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.DistillationGraph));

        var modified = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(1, modified);
    }

    [Fact]
    public void A_whitespace_edit_changes_no_output()
    {
        var result = RunEdited(Models, Models.Replace("public partial class Tiny { }", "public partial class Tiny {\n\n }"));

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void Editing_a_teachers_output_size_rechecks_its_students()
    {
        // Distillations learn the networks' shapes from the network index, not by reading them again.
        var result = RunEdited(Models, Models.Replace("784,1200,1200,10", "784,1200,1200,9"));

        var mismatches = result.Diagnostics.Where(d => d.Id == "DD0040").Select(d => d.GetMessage()).Distinct().OrderBy(m => m).ToList();
        Assert.Equal(2, mismatches.Count);
        Assert.Contains("Student 'Demo.Student' has 10 outputs but teacher 'Demo.Teacher' has 9", mismatches[0]);
        Assert.Contains("Student 'Demo.Tiny' has 10 outputs but teacher 'Demo.Teacher' has 9", mismatches[1]);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.EndsWith(".Distill.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Editing_one_kernel_size_reanalyses_that_network_only()
    {
        const string convModels = """
            using DeclarativeDistill;
            namespace Vision;

            [Teacher(Layers = "1x28x28, conv(32, 3), conv(64, 3), maxpool(2), 128, 10")]
            public partial class Teacher { }

            [Student(Layers = "1x28x28, conv(8, 5), maxpool(2), 10")]
            [Distill(Temperature = 4)]
            public partial class Student { }

            [Student(Layers = "784, 64, 10")]
            [Distill(typeof(Teacher))]
            public partial class Flat { }
            """;
        var compilation = GeneratorHarness.Compilation(convModels, Unrelated);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString() == convModels);
        var newTree = CSharpSyntaxTree.ParseText(convModels.Replace("conv(8, 5)", "conv(8, 3)"), GeneratorHarness.ParseOptions, oldTree.FilePath);
        var result = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree)).GetRunResult().Results[0];

        // The edited student's network is analysed again and regenerated; the teacher and the other student are not
        // analysed at all (their declarations came out of the transform equal, so the analysis step was skipped).
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(result, StepNames.StudentAnalysis).Where(r => r != IncrementalStepRunReason.Cached));
        Assert.Equal(1, Reasons(result, StepNames.StudentAnalysis).Count(r => r == IncrementalStepRunReason.Cached)); // Flat
        Assert.All(Reasons(result, StepNames.TeacherAnalysis), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.TeacherAnalysis));
        var modified = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(1, modified); // Vision.Student.g.cs; its distillation's inputs (shapes, T) did not change
        Assert.Contains("Vision.Student.g.cs", result.GeneratedSources.Select(s => s.HintName));
        Assert.Contains("conv(8, 3)", result.GeneratedSources.Single(s => s.HintName == "Vision.Student.g.cs").SourceText.ToString());
    }

    /// <summary>Runs the generator on <see cref="Models"/> and <see cref="Unrelated"/>, then again with one file edited.</summary>
    [Fact]
    public void Editing_a_hint_regenerates_only_that_students_distillation()
    {
        const string Guided = """
            using DeclarativeDistill;
            namespace Demo;

            [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), gap, 10")]
            public partial class Teacher { }

            [Student(Layers = "784,30,10")]
            [Distill(typeof(Teacher), Temperature = 4)]
            public partial class Tiny { }

            // Last, so that the edit moves no other declaration (locations are part of the models).
            [Student(Layers = "1x28x28, conv(8, 3, pad: 1), maxpool(2), conv(8, 3, pad: 1), 10")]
            [Distill(typeof(Teacher))]
            [Hint(TeacherLayer = "res2", StudentLayer = "conv2")]
            public partial class Guided { }
            """;
        var result = RunEdited(Guided, Guided.Replace("StudentLayer = \"conv2\")", "StudentLayer = \"conv2\", Weight = 2)"));

        Assert.Equal(1, Reasons(result, StepNames.Distillations).Count(r => r == IncrementalStepRunReason.Modified));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.TeacherAnalysis));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.StudentAnalysis));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, StepNames.NetworkIndex));
        var modified = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(1, modified);
    }

    private static GeneratorRunResult RunEdited(string original, string edited)
    {
        var compilation = GeneratorHarness.Compilation(original == Unrelated ? Models : original, Unrelated);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);

        var oldTree = compilation.SyntaxTrees.Single(t => t.ToString() == original);
        var newTree = CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, oldTree.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree));
        return driver.GetRunResult().Results[0];
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason)
            : throw new Xunit.Sdk.XunitException($"Step {step} was not tracked; tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
}
