using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>Each mistake gives its DD error, at the exact span marked [| |] in the source.</summary>
public class DiagnosticTests
{
    private const string Prelude = "using DeclarativeDistill;\nnamespace Demo;\n";

    public static readonly TheoryData<string, string> Mistakes = new()
    {
        // Layers
        { "DD0001", """[Teacher(Layers = "784,[|abc|],10")] public partial class T { }""" },
        // An empty item is marked on the character after it: a zero-width squiggle would be invisible.
        { "DD0001", """[Teacher(Layers = "784,[|,|]10")] public partial class T { }""" },
        { "DD0001", """[Teacher(Layers = "784,800,[|"|])] public partial class T { }""" },
        { "DD0001", """[Teacher(Layers = "784,[|0|],10")] public partial class T { }""" },
        { "DD0001", """[Teacher(Layers = "784,[|-5|],10")] public partial class T { }""" },
        { "DD0001", """[Teacher(Layers = "784,[|99999999999|],10")] public partial class T { }""" },
        { "DD0001", """[Teacher(Layers = "784,8[| |]00,10")] public partial class T { }""" },
        { "DD0001", """[Teacher(Layers = "784;[|800|],10")] public partial class T { }""".Replace("784;[|800|]", "[|784;800|]") },
        { "DD0002", """[Teacher(Layers = [|"784"|])] public partial class T { }""" },
        { "DD0002", """[[|Teacher|]] public partial class T { }""" },
        { "DD0003", """[Teacher(Layers = [|"2147483647,2147483647,2147483647,2147483647,2147483647"|])] public partial class T { }""" },
        { "DD0004", """[Teacher(Layers = "4,8,2", Dropout = [|1.0|])] public partial class T { }""" },
        { "DD0004", """[Teacher(Layers = "4,8,2", Dropout = [|-0.1|])] public partial class T { }""" },
        { "DD0005", """[Teacher(Layers = "4,8,2", Activation = [|(Activation)42|])] public partial class T { }""" },
        { "DD0006", """[Teacher(Layers = "4,8,2"), Student(Layers = [|"4,9,2"|])] public partial class T { }""" },
        { "DD0007", """[Teacher(Layers = [|784|])] public partial class T { }""" },
        { "DD0007", """[Teacher(Layers = "4,2", Dropout = [|"high"|])] public partial class T { }""" },
        { "DD0007", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Temperature = [|"hot"|])] public partial class S { }""" },
        { "DD0007", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill([|"T"|])] public partial class S { }""" },
        // Distill values
        { "DD0010", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Temperature = [|0|])] public partial class S { }""" },
        { "DD0010", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Temperature = [|double.NaN|])] public partial class S { }""" },
        { "DD0010", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Temperature = [|double.PositiveInfinity|])] public partial class S { }""" },
        { "DD0011", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Alpha = [|1.5|])] public partial class S { }""" },
        { "DD0012", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Beta = [|-1|])] public partial class S { }""" },
        { "DD0013", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Alpha = 0, Beta = [|0|])] public partial class S { }""" },
        // The class
        { "DD0020", """[[|Teacher(Layers = "4,2")|]] public class T { }""" },
        { "DD0021", """[[|Teacher(Layers = "4,2")|]] public partial class T<TItem> { }""" },
        { "DD0022", """public class Outer { [[|Teacher(Layers = "4,2")|]] public partial class T { } }""" },
        { "DD0023", """public class Base { } [[|Teacher(Layers = "4,2")|]] public partial class T : Base { }""" },
        { "DD0024", """[[|Teacher(Layers = "4,2")|]] public partial record T { }""" },
        { "DD0024", """[[|Teacher(Layers = "4,2")|]] public static partial class T { }""" },
        { "DD0024", """[[|Teacher(Layers = "4,2")|]] public abstract partial class T { }""" },
        { "DD0024", """[[|Teacher(Layers = "4,2")|]] public partial struct T { }""" },
        // A file-local class, or one nested in it, cannot be extended from the generated file.
        { "DD0024", """[[|Teacher(Layers = "4,2")|]] file partial class T { }""" },
        { "DD0024", """file partial class Outer { [[|Teacher(Layers = "4,2")|]] public partial class T { } }""" },
        { "DD0025", """[[|Teacher(Layers = "4,2")|]] public partial class T { public T() { } }""" },
        { "DD0025", """[[|Teacher(Layers = "4,8,2")|]] public partial class T { public const int InputSize = 4; }""" },
        { "DD0025", """[[|Teacher(Layers = "4,8,2")|]] public partial class T { private int hidden1; }""" },
        { "DD0025", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [[|Distill(Temperature = 3)|]] public partial class S { public double Temperature => 2; }""" },
        // Who teaches whom
        { "DD0030", """[Teacher(Layers = "4,2")] public partial class T { } [[|Distill|]] public partial class S { }""" },
        { "DD0031", """public class NotTeacher { } [Student(Layers = "4,2")] [Distill([|typeof(NotTeacher)|])] public partial class S { }""" },
        { "DD0031", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [Distill([|(System.Type)null!|])] public partial class S { }""" },
        { "DD0007", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [[|Distill(null!)|]] public partial class S { }""" },
        { "DD0032", """[Student(Layers = "4,2")] [[|Distill(Temperature = 3)|]] public partial class S { }""" },
        { "DD0033", """[Teacher(Layers = "4,2")] public partial class A { } [Teacher(Layers = "4,2")] public partial class B { } [Student(Layers = "4,2")] [[|Distill|]] public partial class S { }""" },
        { "DD0034", """[Teacher(Layers = "4,2")] public partial class A { } [Student(Layers = "4,2")] [Distill(typeof(A), [|typeof(A)|])] public partial class S { }""" },
        { "DD0035", """[Teacher, Student(Layers = "4,8,2")] [[|Distill(typeof(B))|]] public partial class A { } [Teacher, Student(Layers = "4,8,2")] [Distill(typeof(A))] public partial class B { }""" },
        { "DD0035", """[Teacher(Layers = "4,8,2")] public partial class Root { } [Teacher, Student(Layers = "4,8,2")] [Distill(typeof(C))] public partial class A { } [Teacher, Student(Layers = "4,8,2")] [Distill(typeof(A))] public partial class B { } [Teacher, Student(Layers = "4,8,2")] [[|Distill(typeof(B), typeof(Root))|]] public partial class C { }""" },
        { "DD0036", """[Teacher, Student(Layers = "4,2")] [Distill([|typeof(S)|])] public partial class S { }""" },
        // Sizes
        { "DD0040", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,9")] [[|Distill(Temperature = 20)|]] public partial class S { }""" },
        { "DD0040", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,9")] [Distill([|typeof(T)|])] public partial class S { }""" },
        { "DD0041", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "783,800,10")] [Distill([|typeof(T)|])] public partial class S { }""" },
        // ... and at the student's end: the size inside its Layers, spaces left out.
        { "DD0040", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800, [|9|]")] [Distill] public partial class S { }""" },
        { "DD0041", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = " [|783|] ,800,10")] [Distill(typeof(T))] public partial class S { }""" },
        { "DD0040", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Teacher(Layers = "784,300,[|9|]"), Student] [Distill(typeof(T))] public partial class S { }""" },
        { "DD0042", """[Teacher(Layers = "784,100,10")] public partial class A { } [Teacher(Layers = "784,100,9")] public partial class B { } [Student(Layers = "784,10,10")] [Distill(typeof(A), [|typeof(B)|])] public partial class S { }""" },
    };

    public static readonly TheoryData<string, string> Suspicious = new()
    {
        { "DD1001", """[Teacher(Layers = "4,8,2")] public partial class T { } [Student(Layers = "4,100,2")] [Distill([|typeof(T)|])] public partial class S { }""" },
        { "DD1002", """[Teacher(Layers = "4,8,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Alpha = [|0|])] public partial class S { }""" },
        { "DD1003", """[Teacher(Layers = "4,8,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Temperature = [|0.5|])] public partial class S { }""" },
        { "DD1003", """[Teacher(Layers = "4,8,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(Temperature = [|100|])] public partial class S { }""" },
        { "DD1004", """[Teacher(Layers = "4,2", Dropout = [|0.5|])] public partial class T { }""" },
    };

    [Theory]
    [MemberData(nameof(Suspicious))]
    public void Legal_but_suspicious_input_is_a_warning_and_still_generates(string id, string marked)
    {
        var source = MarkedSource.Parse(Prelude + marked);
        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.DoesNotContain(result.CompilerDiagnostics, d => d.Id != id);
    }

    [Fact]
    public void Members_that_do_not_collide_with_generated_ones_are_allowed()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "4,8,2")]
            public partial class T
            {
                public T(int seed) : this() { }
                public double Temperature { get; set; }            // only [Distill] classes get a Temperature
                private readonly int hidden2 = 0;                   // there is no second hidden layer
                public string Fit(string label) => label + hidden2; // an overload, not the generated Fit
            }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void A_cycle_names_every_step()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher, Student(Layers = "4,8,2")] [Distill(typeof(B))] public partial class A { }
            [Teacher, Student(Layers = "4,8,2")] [Distill(typeof(A))] public partial class B { }
            """);

        Assert.Equal(
            new[] { "'Demo.A' learns from itself through a cycle of distillations: Demo.A ← Demo.B ← Demo.A",
                    "'Demo.B' learns from itself through a cycle of distillations: Demo.B ← Demo.A ← Demo.B" },
            result.Diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).OrderBy(m => m));
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistake_is_reported_at_the_wrong_argument(string id, string marked)
    {
        var source = MarkedSource.Parse(Prelude + marked);
        var result = GeneratorHarness.Run(source.Text);

        Assert.False(result.GeneratorCrashed);
        Assert.Contains(result.Diagnostics, d => d.Id == id);
        Assert.DoesNotContain(result.Sources.Keys, k => k.EndsWith(".Distill.g.cs", System.StringComparison.Ordinal) && k.Contains(".S."));
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id && d.Location.SourceSpan == source.Span);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Description.ToString()));
    }

    [Fact]
    public void Output_mismatch_names_both_classes_and_both_sizes()
    {
        string source = Prelude + """
            [Teacher(Layers = "784,1200,1200,10")] public partial class MnistTeacher { }
            [Student(Layers = "784,800,800,9")] [Distill(Temperature = 20)] public partial class MnistStudent { }
            """;
        var result = GeneratorHarness.Run(source);

        // Once at each end: the student's output size and the [Distill] that infers the teacher.
        Assert.Equal(new[] { "9", "Distill(Temperature = 20)" },
            result.Diagnostics.Select(d => source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)).OrderBy(t => t));
        Assert.All(result.Diagnostics, diagnostic =>
        {
            Assert.Equal("DD0040", diagnostic.Id);
            Assert.Equal(
                "Student 'Demo.MnistStudent' has 9 outputs but teacher 'Demo.MnistTeacher' has 10; distillation compares them class by class",
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.DoesNotContain(result.Sources.Keys, k => k.EndsWith(".Distill.g.cs", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[Teacher(Layers = "4,8,2"), Student(Layers = "4,9,2")]""", "Layers = \"4,8,2\" and [Student] sets Layers = \"4,9,2\"")]
    [InlineData("""[Teacher(Layers = "4,8,2", Activation = Activation.Tanh), Student(Activation = Activation.GELU)]""", "Activation = Tanh and [Student] sets Activation = GELU")]
    [InlineData("""[Teacher(Layers = "4,8,2", Dropout = 0.5), Student(Dropout = 0.25)]""", "Dropout = 0.5 and [Student] sets Dropout = 0.25")]
    public void A_teacher_assistant_whose_attributes_disagree_names_both_values(string attributes, string expected)
    {
        var result = GeneratorHarness.Run(Prelude + attributes + " public partial class A { }");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0006", diagnostic.Id);
        Assert.Equal($"'A' is both teacher and student, but [Teacher] sets {expected}; one class is one network",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Distill_without_student_is_one_error_not_also_a_missing_teacher()
    {
        var result = GeneratorHarness.Run(Prelude + "[Teacher(Layers = \"4,8,2\")] [Distill] public partial class T { }");

        Assert.Equal("DD0030", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Malformed_layers_message_gives_the_position()
    {
        var result = GeneratorHarness.Run(Prelude + """[Teacher(Layers = "784,,10")] public partial class T { }""");

        Assert.Equal(
            "Layers is malformed at position 5: expected a layer width, found two commas with nothing between them",
            Assert.Single(result.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_mistake_in_one_declaration_keeps_the_others_generated()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "4,x,2")] public partial class Broken { }
            [Teacher(Layers = "4,8,2")] public partial class Fine { }
            """);

        Assert.Equal("DD0001", Assert.Single(result.Diagnostics).Id);
        Assert.Contains("Demo.Fine.g.cs", result.Sources.Keys);
        Assert.DoesNotContain("Demo.Broken.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void Every_descriptor_is_listed_in_the_release_tracking_file()
    {
        var descriptors = typeof(DistillationGenerator).Assembly
            .GetType("DeclarativeDistill.Generators.Diagnostics.DiagnosticDescriptors")!
            .GetFields()
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        string unshipped = System.IO.File.ReadAllText(System.IO.Path.Combine(
            BuildPaths.RepositoryRoot, "generators", "DeclarativeDistill.Generators", "AnalyzerReleases.Unshipped.md"));

        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        foreach (var descriptor in descriptors)
        {
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped);
        }
    }
}
