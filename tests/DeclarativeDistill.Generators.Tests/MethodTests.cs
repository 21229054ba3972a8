using System.Globalization;
using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>The method attributes ([Dkd], [Dist], [AttentionTransfer], [Rkd], [SimilarityPreserving], [Pkt], [Nst]): every mistake at the argument that makes it, and the terms they become.</summary>
public class MethodTests
{
    // Teacher T: conv1 16x28x28 (then bn), bn1 16x28x28, res1 16x28x28, res2 32x14x14, res3 64x7x7, output 10.
    // Teacher U: conv1 64x26x26, output 10.
    // Student: conv1 8x28x28, conv2 8x28x28, conv3 16x14x14, conv4 16x14x14, hidden1 32, output 10.
    private const string Networks = """
        using DeclarativeDistill;
        namespace Demo;

        [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10")]
        public partial class T { }

        [Teacher(Layers = "1x28x28, conv(64, 3), 10")]
        public partial class U { }

        """;

    private const string Student = """
        [Student(Layers = "1x28x28, conv(8, 3, pad: 1), conv(8, 3, pad: 1), maxpool(2), conv(16, 3, pad: 1), conv(16, 3, pad: 1), maxpool(2), 32, 10")]
        """;

    private const string Distilled = Student + "[Distill(typeof(T))] ";

    public static readonly TheoryData<string, string> Mistakes = new()
    {
        // A method without [Distill].
        { "DD0066", Student + """[[|Dkd|]] public partial class S { }""" },
        { "DD0066", Student + """[[|Rkd("res3", "hidden1")|]] public partial class S { }""" },
        // Layers not named.
        { "DD0067", Distilled + """[[|AttentionTransfer|]] public partial class S { }""" },
        { "DD0067", Distilled + """[[|Pkt(TeacherLayer = "res3")|]] public partial class S { }""" },
        { "DD0067", Distilled + """[Rkd("res3", [|" "|])] public partial class S { }""" },
        // Constants out of range, at the constant.
        { "DD0068", Distilled + """[Dkd(Temperature = [|0|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Dkd(Beta = [|-1|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Dkd(WarmupEpochs = [|-2|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Dist(Gamma = [|double.PositiveInfinity|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Dist(Temperature = [|double.NaN|])] public partial class S { }""" },
        { "DD0068", Distilled + """[AttentionTransfer("res2", "conv3", Weight = [|0|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Rkd("res3", "hidden1", DistanceWeight = [|-1|])] public partial class S { }""" },
        { "DD0068", Distilled + """[SimilarityPreserving("res3", "hidden1", Weight = [|-3000|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Pkt("res3", "hidden1", Weight = [|double.NaN|])] public partial class S { }""" },
        // Every part weighted by 0.
        { "DD0069", Distilled + """[Dkd(Alpha = 0, Beta = [|0|])] public partial class S { }""" },
        { "DD0069", Distilled + """[Dist(Beta = 0, Gamma = [|0|])] public partial class S { }""" },
        { "DD0069", Distilled + """[Rkd("res3", "hidden1", AngleWeight = 0, DistanceWeight = [|0|])] public partial class S { }""" },
        // Layers the method cannot compare.
        { "DD0070", Distilled + """[AttentionTransfer("res2", [|"hidden1"|])] public partial class S { }""" },
        { "DD0070", Distilled + """[AttentionTransfer("res1", [|"conv3"|])] public partial class S { }""" },
        { "DD0070", Distilled + """[Nst("res3", [|"hidden1"|])] public partial class S { }""" },
        { "DD0068", Distilled + """[Nst("res2", "conv3", Weight = [|0|])] public partial class S { }""" },
        // The same method on the same layers twice.
        { "DD0071", Distilled + """[Rkd("res3", "hidden1")] [[|Rkd(StudentLayer = "hidden1", TeacherLayer = "res3", AngleWeight = 1)|]] public partial class S { }""" },
        { "DD0071", Distilled + """[Dkd] [[|Dkd(Beta = 2)|]] public partial class S { }""" },
        // A layer method given one layer, or a constant of the wrong type.
        { "DD0007", Distilled + """[Rkd([|"res3"|])] public partial class S { }""" },
        { "DD0007", Distilled + """[Dkd(WarmupEpochs = [|1.5|])] public partial class S { }""" },
        // Layers and teachers, as hints name them.
        { "DD0060", Distilled + """[AttentionTransfer([|"res9"|], "conv3")] public partial class S { }""" },
        { "DD0060", Distilled + """[Pkt("res3", [|"hidden9"|])] public partial class S { }""" },
        { "DD0060", Distilled + """[SimilarityPreserving(TeacherLayer = [|"conv4"|], StudentLayer = "res2")] public partial class S { }""" },
        { "DD0061", Distilled + """[Rkd("res3", "hidden1", Teacher = [|typeof(U)|])] public partial class S { }""" },
        { "DD0062", Student + """[Distill(typeof(T), typeof(U))] [[|SimilarityPreserving("res3", "hidden1")|]] public partial class S { }""" },
        // Arguments of the wrong type.
        { "DD0007", Distilled + """[Dkd(Temperature = [|"hot"|])] public partial class S { }""" },
        { "DD0007", Distilled + """[AttentionTransfer([|2|], "conv3")] public partial class S { }""" },
        { "DD0007", Distilled + """[Rkd("res3", "hidden1", Teacher = [|"T"|])] public partial class S { }""" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_method_mistake_is_reported_at_the_argument_that_makes_it(string id, string marked)
    {
        var source = MarkedSource.Parse(Networks + marked);
        var result = GeneratorHarness.Run(source.Text);

        Assert.False(result.GeneratorCrashed);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id && d.Location.SourceSpan == source.Span);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Description.ToString()));
        Assert.DoesNotContain(result.Sources.Keys, k => k.EndsWith("S.Distill.g.cs", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[Dkd(Temperature = 0)]""", "[Dkd]'s Temperature must be a positive, finite number; got 0")]
    [InlineData("""[Dkd(WarmupEpochs = -2)]""", "[Dkd]'s WarmupEpochs must be a whole number, 0 or more; got -2")]
    [InlineData("""[Rkd("res3", "hidden1", AngleWeight = 0, DistanceWeight = 0)]""", "[Rkd] weighs every part by 0 (DistanceWeight = 0, AngleWeight = 0)")]
    [InlineData("""[AttentionTransfer("res1", "conv3")]""",
        "[AttentionTransfer]: attention transfer compares maps position by position, but the student's conv3 gives 16x14x14 and the teacher's res1 gives 16x28x28: name layers of the same height and width")]
    [InlineData("""[AttentionTransfer("res2", "hidden1")]""", "the student's hidden1 gives a vector of 32 and the teacher's res2 gives 32x14x14: name two convolutional layers")]
    [InlineData("""[Rkd("res3", "hidden1")] [Rkd("res3", "hidden1")]""", "[Rkd] already compares 'hidden1' with 'res3' of 'Demo.T'")]
    [InlineData("""[Pkt("res3", "hidden9")]""", "'hidden9' is not a layer of the student 'Demo.S', whose layers are conv1, conv2, conv3, conv4, hidden1, output")]
    public void Messages_say_what_is_wrong_in_the_methods_terms(string method, string expected)
    {
        var result = GeneratorHarness.Run(Networks + Distilled + method + " public partial class S { }");

        Assert.Contains(result.Diagnostics, d => Message(d).Contains(expected, System.StringComparison.Ordinal));
    }

    [Fact]
    public void An_ensembles_teacher_is_named_in_the_message()
    {
        var result = GeneratorHarness.Run(Networks + Student + """[Distill(typeof(T), typeof(U))] [Pkt("res3", "hidden1")] public partial class S { }""");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "DD0062");
        Assert.Equal("'Demo.S' learns from an ensemble (Demo.T, Demo.U); say which teacher [Pkt] reads with Teacher = typeof(...)", Message(diagnostic));
    }

    [Fact]
    public void A_hand_written_teacher_serves_logit_methods_but_not_layer_methods()
    {
        const string Mine = """
            using DeclarativeDistill;
            using static TorchSharp.torch;
            namespace Demo;

            [Teacher(Input = "1x28x28", Outputs = 10)]
            public partial class Mine : nn.Module<Tensor, Tensor> { public Mine() : base("Mine") { } public override Tensor forward(Tensor x) => x; }

            [Student(Layers = "1x28x28, conv(8, 3), 10")]
            [Distill(typeof(Mine))]
            """;
        var logits = GeneratorHarness.Run(Mine + "[Dkd] [Dist] public partial class S { }");
        Assert.Empty(logits.Diagnostics);
        Assert.Empty(logits.CompilerDiagnostics);

        var source = MarkedSource.Parse(Mine + """[AttentionTransfer(TeacherLayer = [|"conv1"|], StudentLayer = "conv1")] public partial class S { }""");
        var layers = GeneratorHarness.Run(source.Text);
        var diagnostic = Assert.Single(layers.Diagnostics);
        Assert.Equal("DD0063", diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.EndsWith("so nothing [AttentionTransfer] reads from them", Message(diagnostic), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Each_method_becomes_a_term_with_every_constant_written_out()
    {
        var result = GeneratorHarness.Run(Networks + Student + """
            [Distill(typeof(T), typeof(U))]
            [Dkd(Beta = 2, WarmupEpochs = 5)]
            [Dist]
            [AttentionTransfer("res2", "conv3", Teacher = typeof(T))]
            [Rkd("res3", "hidden1", Teacher = typeof(T), AngleWeight = 0)]
            [SimilarityPreserving(TeacherLayer = "conv1", StudentLayer = "conv4", Teacher = typeof(U))]
            [Pkt("output", "hidden1", Teacher = typeof(U), Weight = 1000)]
            [Nst("res2", "conv4", Teacher = typeof(T))]
            public partial class S { }
            """);

        Assert.Empty(result.Diagnostics);
        string source = result.Sources["Demo.S.Distill.g.cs"];
        foreach (string term in new[]
        {
            "new global::DeclarativeDistill.DkdTerm { Temperature = 4, Alpha = 1, Beta = 2, WarmupEpochs = 5 },",
            "new global::DeclarativeDistill.DistTerm { Temperature = 1, Beta = 1, Gamma = 1 },",
            "new global::DeclarativeDistill.AttentionTransferTerm(\"res2\", \"conv3\") { Weight = 1000 },",
            "new global::DeclarativeDistill.RkdTerm(\"res3\", \"hidden1\") { DistanceWeight = 25, AngleWeight = 0 },",
            "new global::DeclarativeDistill.SimilarityPreservingTerm(\"conv1\", \"conv4\") { Weight = 3000, Teacher = 1 },",
            "new global::DeclarativeDistill.PktTerm(\"output\", \"hidden1\") { Weight = 1000, Teacher = 1 },",
            "new global::DeclarativeDistill.NstTerm(\"res2\", \"conv4\") { Weight = 50 },",
            "// The student's conv3 (16x14x14) against res2 of Demo.T (32x14x14).",
        })
        {
            Assert.Contains(term, source, System.StringComparison.Ordinal);
        }
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void Alpha_zero_beside_a_method_is_no_warning_and_both_weights_zero_beside_a_method_still_learn()
    {
        // The labels and the method, as the methods' papers train.
        var dkd = GeneratorHarness.Run(Networks + Student + "[Distill(typeof(T), Alpha = 0, Beta = 1)] [Dkd] public partial class S { }");
        Assert.Empty(dkd.Diagnostics);
        var layers = GeneratorHarness.Run(Networks + Student + """[Distill(typeof(T), Alpha = 0, Beta = 1)] [Rkd("res3", "hidden1")] public partial class S { }""");
        Assert.Empty(layers.Diagnostics);
        var none = GeneratorHarness.Run(Networks + Student + "[Distill(typeof(T), Alpha = 0, Beta = 1)] public partial class S { }");
        Assert.Equal("DD1002", Assert.Single(none.Diagnostics).Id);

        var only = GeneratorHarness.Run(Networks + Student + "[Distill(typeof(T), Alpha = 0, Beta = 0)] [Dist] public partial class S { }");
        Assert.Empty(only.Diagnostics);
        Assert.Contains("S.Distill.g.cs", string.Join(" ", only.Sources.Keys), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Methods_and_hints_share_one_objective()
    {
        var result = GeneratorHarness.Run(Networks + Distilled + """[Hint("res2", "conv3")] [AttentionTransfer("res2", "conv4")] public partial class S { }""");

        Assert.Empty(result.Diagnostics);
        string source = result.Sources["Demo.S.Distill.g.cs"];
        Assert.Contains("Hints = new global::DeclarativeDistill.FeatureHint[]", source, System.StringComparison.Ordinal);
        Assert.Contains("Terms = new global::DeclarativeDistill.DistillationTerm[]", source, System.StringComparison.Ordinal);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Theory]
    [InlineData("""[Dkd(Temperature = 1e308 * 10)]""")]
    [InlineData("""[Dkd(WarmupEpochs = int.MaxValue)]""")]
    [InlineData("""[Rkd(null, null, Teacher = null)]""")]
    [InlineData("""[Rkd("res3", "hidden1", Teacher = typeof(int))]""")]
    [InlineData("""[Pkt("res3", "hidden1", Teacher = typeof(System.Collections.Generic.List<>))]""")]
    [InlineData("""[AttentionTransfer("res2")]""")]
    [InlineData("""[AttentionTransfer("res2", "conv3", "extra")]""")]
    [InlineData("""[SimilarityPreserving(Teacher = typeof(Missing))]""")]
    [InlineData("""[Dist(Temperature = 4, Beta = 0, Gamma = 0)] [Dkd(Alpha = 0, Beta = 0)]""")]
    public void Odd_method_arguments_never_crash_the_generator(string method)
    {
        var result = GeneratorHarness.Run(Networks + Distilled + method + " public partial class S { }");

        Assert.False(result.GeneratorCrashed);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "DD9999");
    }

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
