using System.Globalization;
using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>[Hint]: every mistake at the argument that makes it, and the regressor the generator sizes.</summary>
public class HintTests
{
    // Teacher: conv1 16x28x28 (then bn), bn1 16x28x28 (ReLU), res1 16x28x28, res2 32x14x14, res3 64x7x7, output 10.
    // Student: conv1 8x28x28, conv2 8x28x28, conv3 16x14x14, conv4 16x14x14, hidden1 32, output 10 (ReLU after each).
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

    public static readonly TheoryData<string, string> Mistakes = new()
    {
        { "DD0057", Student + """[[|Hint(TeacherLayer = "res2", StudentLayer = "conv3")|]] public partial class S { }""" },
        { "DD0058", Student + """[Distill(typeof(T))] [[|Hint(TeacherLayer = "res2")|]] public partial class S { }""" },
        { "DD0058", Student + """[Distill(typeof(T))] [[|Hint|]] public partial class S { }""" },
        { "DD0058", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "res2", StudentLayer = [|""|])] public partial class S { }""" },
        { "DD0059", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "res2", StudentLayer = "conv3", Weight = [|0|])] public partial class S { }""" },
        { "DD0059", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "res2", StudentLayer = "conv3", Weight = [|double.NaN|])] public partial class S { }""" },
        { "DD0059", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "res2", StudentLayer = "conv3", Weight = [|-1|])] public partial class S { }""" },
        { "DD0060", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = [|"res9"|], StudentLayer = "conv3")] public partial class S { }""" },
        { "DD0060", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "res2", StudentLayer = [|"res2"|])] public partial class S { }""" },
        { "DD0060", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = [|"conv4"|], StudentLayer = "res2")] public partial class S { }""" },
        { "DD0061", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "conv1", StudentLayer = "conv1", Teacher = [|typeof(U)|])] public partial class S { }""" },
        { "DD0062", Student + """[Distill(typeof(T), typeof(U))] [[|Hint(TeacherLayer = "conv1", StudentLayer = "conv1")|]] public partial class S { }""" },
        { "DD0064", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "conv1", StudentLayer = [|"conv3"|])] public partial class S { }""" },
        { "DD0065", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = "res2", StudentLayer = "conv3")] [[|Hint(StudentLayer = "conv3", TeacherLayer = "res2", Weight = 2)|]] public partial class S { }""" },
        { "DD0007", Student + """[Distill(typeof(T))] [Hint(TeacherLayer = [|2|], StudentLayer = "conv3")] public partial class S { }""" },
        // The same, with the layers passed in order.
        { "DD0060", Student + """[Distill(typeof(T))] [Hint("res2", [|"res2"|])] public partial class S { }""" },
        { "DD0060", Student + """[Distill(typeof(T))] [Hint([|"res9"|], "conv3", Weight = 2)] public partial class S { }""" },
        { "DD0058", Student + """[Distill(typeof(T))] [Hint("res2", [|" "|])] public partial class S { }""" },
        { "DD0007", Student + """[Distill(typeof(T))] [Hint([|2|], "conv3")] public partial class S { }""" },
        { "DD0064", Student + """[Distill(typeof(T))] [Hint("conv1", [|"conv3"|])] public partial class S { }""" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_hint_mistake_is_reported_at_the_argument_that_makes_it(string id, string marked)
    {
        var source = MarkedSource.Parse(Networks + marked);
        var result = GeneratorHarness.Run(source.Text);

        Assert.False(result.GeneratorCrashed);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == id && d.Location.SourceSpan == source.Span);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Description.ToString()));
        Assert.DoesNotContain(result.Sources.Keys, k => k.EndsWith("S.Distill.g.cs", System.StringComparison.Ordinal));
    }

    private const string TextNetworks = """
        using DeclarativeDistill;
        namespace Demo;

        [Teacher(Layers = "tokens(1000, 64), embed(32), bilstm(48), gmp, 2")]
        public partial class TextTeacher { }

        """;

    [Fact]
    public void A_hint_between_sequences_of_equal_steps_projects_each_steps_features_and_other_steps_are_DD0073()
    {
        var result = GeneratorHarness.Run(TextNetworks + """
            [Student(Layers = "tokens(1000, 64), embed(16), conv1d(24, 3, pad: 1), gmp, 2")]
            [Distill(typeof(TextTeacher))] [Hint(TeacherLayer = "lstm1", StudentLayer = "conv1")]
            public partial class TextStudent { }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerDiagnostics);
        Assert.Contains("HintRegressor.PerStep(24, 96, null)", string.Concat(result.Sources.Values));

        var marked = MarkedSource.Parse(TextNetworks + """
            [Student(Layers = "tokens(1000, 64), embed(16), conv1d(24, 3, stride: 2), gmp, 2")]
            [Distill(typeof(TextTeacher))] [Hint(TeacherLayer = "lstm1", StudentLayer = [|"conv1"|])]
            public partial class TextStudent { }
            """);
        var failed = GeneratorHarness.Run(marked.Text);
        var diagnostic = Assert.Single(failed.Diagnostics, d => d.Id == "DD0073");
        Assert.Equal(marked.Span, diagnostic.Location.SourceSpan);
        Assert.Contains("Student layer 'conv1' gives a sequence of 31 steps of 24 features but teacher layer 'lstm1' gives a sequence of 64 steps of 96 features",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_hand_written_teacher_cannot_give_a_hint()
    {
        var source = MarkedSource.Parse("""
            using DeclarativeDistill;
            using static TorchSharp.torch;
            namespace Demo;

            [Teacher(Input = "1x28x28", Outputs = 10)]
            public partial class Mine : nn.Module<Tensor, Tensor> { public Mine() : base("Mine") { } public override Tensor forward(Tensor x) => x; }

            [Student(Layers = "1x28x28, conv(8, 3), 10")]
            [Distill(typeof(Mine))]
            [Hint(TeacherLayer = [|"conv1"|], StudentLayer = "conv1")]
            public partial class S { }
            """);
        var result = GeneratorHarness.Run(source.Text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0063", diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Contains("'Demo.Mine' is not declared with Layers", Message(diagnostic));
    }

    [Theory]
    [InlineData("TeacherLayer = \"res9\", StudentLayer = \"conv3\"",
        "'res9' is not a layer of the teacher 'Demo.T', whose layers are conv1, bn1, res1, res2, res3, output")]
    [InlineData("TeacherLayer = \"conv4\", StudentLayer = \"res2\"",
        "'conv4' is not a layer of the teacher 'Demo.T', whose layers are conv1, bn1, res1, res2, res3, output ('conv4' is a layer of the student 'Demo.S': are TeacherLayer and StudentLayer swapped?)")]
    [InlineData("TeacherLayer = \"conv1\", StudentLayer = \"conv3\"",
        "Student layer 'conv3' gives 16x14x14 but teacher layer 'conv1' gives 16x28x28")]
    public void Messages_name_the_layers_and_shapes_on_both_sides(string hint, string expected)
    {
        var result = GeneratorHarness.Run(Networks + Student + $"[Distill(typeof(T))] [Hint({hint})] public partial class S {{ }}");

        Assert.Contains(result.Diagnostics, d => Message(d).Contains(expected, System.StringComparison.Ordinal));
    }

    [Theory]
    // Equal maps: FitNets' 1x1 convolution, ending in the activation the residual block ends in.
    [InlineData("res2", "conv3", "HintRegressor.Convolution(16, 32, 1, 1, global::DeclarativeDistill.Activation.ReLU)")]
    // A larger student map: the kernel (Hs - Ht + 1) x (Ws - Wt + 1) shrinks 28x28 to 14x14.
    [InlineData("res2", "conv1", "HintRegressor.Convolution(8, 32, 15, 15, global::DeclarativeDistill.Activation.ReLU)")]
    [InlineData("res3", "conv3", "HintRegressor.Convolution(16, 64, 8, 8, global::DeclarativeDistill.Activation.ReLU)")]
    // A convolution followed by bn is taken before the bn: no activation to match.
    [InlineData("conv1", "conv1", "HintRegressor.Convolution(8, 16, 1, 1, null)")]
    [InlineData("bn1", "conv2", "HintRegressor.Convolution(8, 16, 1, 1, global::DeclarativeDistill.Activation.ReLU)")]
    // A vector on either side: a linear layer between the flattened sizes.
    [InlineData("res3", "hidden1", "HintRegressor.Linear(32, 3136, global::DeclarativeDistill.Activation.ReLU)")]
    [InlineData("output", "hidden1", "HintRegressor.Linear(32, 10, null)")]
    [InlineData("output", "conv4", "HintRegressor.Linear(3136, 10, null)")]
    public void The_regressor_is_sized_from_both_layers(string teacherLayer, string studentLayer, string regressor)
    {
        var result = GeneratorHarness.Run(Networks + Student
            + $"[Distill(typeof(T))] [Hint(TeacherLayer = \"{teacherLayer}\", StudentLayer = \"{studentLayer}\")] public partial class S {{ }}");

        Assert.Empty(result.Diagnostics);
        Assert.Contains("global::DeclarativeDistill." + regressor, result.Sources["Demo.S.Distill.g.cs"], System.StringComparison.Ordinal);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void Weights_teachers_of_an_ensemble_and_the_combined_schedule_reach_the_objective()
    {
        var result = GeneratorHarness.Run(Networks + Student + """
            [Distill(typeof(T), typeof(U), HintTraining = HintTraining.Combined)]
            [Hint(TeacherLayer = "res2", StudentLayer = "conv3", Teacher = typeof(T))]
            [Hint(TeacherLayer = "conv1", StudentLayer = "conv1", Teacher = typeof(U), Weight = 0.5)]
            public partial class S { }
            """);

        Assert.Empty(result.Diagnostics);
        string source = result.Sources["Demo.S.Distill.g.cs"];
        Assert.Contains("new global::DeclarativeDistill.FeatureHint(\"res2\", \"conv3\", global::DeclarativeDistill.HintRegressor.Convolution(16, 32, 1, 1, global::DeclarativeDistill.Activation.ReLU)),", source, System.StringComparison.Ordinal);
        // U's conv1 (64x26x26, no padding) from S's conv1 (8x28x28): a 3x3 kernel.
        Assert.Contains("new global::DeclarativeDistill.FeatureHint(\"conv1\", \"conv1\", global::DeclarativeDistill.HintRegressor.Convolution(8, 64, 3, 3, global::DeclarativeDistill.Activation.ReLU)) { Weight = 0.5, Teacher = 1 },", source, System.StringComparison.Ordinal);
        Assert.Contains("HintTraining = global::DeclarativeDistill.HintTraining.Combined,", source, System.StringComparison.Ordinal);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void Layers_may_be_passed_in_order_teacher_first()
    {
        var result = GeneratorHarness.Run(Networks + Student + """[Distill(typeof(T))] [Hint("res2", "conv3", Weight = 0.25)] public partial class S { }""");

        Assert.Empty(result.Diagnostics);
        Assert.Contains("new global::DeclarativeDistill.FeatureHint(\"res2\", \"conv3\", global::DeclarativeDistill.HintRegressor.Convolution(16, 32, 1, 1, global::DeclarativeDistill.Activation.ReLU)) { Weight = 0.25 },",
            result.Sources["Demo.S.Distill.g.cs"], System.StringComparison.Ordinal);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void A_student_without_hints_keeps_the_plain_objective()
    {
        var result = GeneratorHarness.Run(Networks + Student + "[Distill(typeof(T))] public partial class S { }");

        Assert.Contains("Objective { get; } = new(Temperature, Alpha, Beta);", result.Sources["Demo.S.Distill.g.cs"], System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[Hint(TeacherLayer = "res2", StudentLayer = "conv3", Teacher = null)]""")]
    [InlineData("""[Hint(TeacherLayer = "res2", StudentLayer = "conv3", Teacher = typeof(int))]""")]
    [InlineData("""[Hint(TeacherLayer = "res2", StudentLayer = "conv3", Teacher = typeof(System.Collections.Generic.List<>))]""")]
    [InlineData("""[Hint(TeacherLayer = "res2", StudentLayer = "conv3", Teacher = typeof(Missing))]""")]
    [InlineData("""[Hint(TeacherLayer = null, StudentLayer = null, Weight = double.PositiveInfinity)]""")]
    [InlineData("""[Hint("res2")]""")]
    [InlineData("""[Hint("res2", "conv3", "extra")]""")]
    [InlineData("""[Hint(TeacherLayer = "res2", StudentLayer = "conv3", Weight = 1e308 * 10)]""")]
    [InlineData("""[Hint(TeacherLayer = " res2 ", StudentLayer = "\tconv3")]""")]
    public void Odd_hint_arguments_never_crash_the_generator(string hint)
    {
        var result = GeneratorHarness.Run(Networks + Student + "[Distill(typeof(T))] " + hint + " public partial class S { }");

        Assert.False(result.GeneratorCrashed);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "DD9999");
    }

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);
}
