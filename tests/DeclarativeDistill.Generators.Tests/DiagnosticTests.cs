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
        { "DD0025", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [[|Distill(Temperature = 3)|]] public partial class S { public static int Objective; }""" },
        { "DD0025", """[Teacher(Layers = "4,2")] public partial class T { } [Student(Layers = "4,2")] [[|Distill(Temperature = 3)|]] public partial class S { public int MeasureFidelity => 1; }""" },
        // Hand-written teachers, declared by their shapes
        { "DD0054", """[Teacher(Input = "1x28x28", Outputs = 10, Layers = [|"784,10"|])] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0054", """[Teacher(Input = "1x28x28", Outputs = 10, Dropout = [|0.5|])] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0054", """[[|Teacher(Input = "1x28x28")|]] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0054", """[[|Teacher(Outputs = 10)|]] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0054", """[Teacher(Input = "1x28x28", Outputs = [|0|])] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0054", """[Teacher(Input = "1x[|2a|]x28", Outputs = 10)] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0054", """[Teacher(Input = [|"784, 10"|], Outputs = 10)] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; }""" },
        { "DD0055", """[[|Teacher(Input = "784", Outputs = 10)|]] public partial class T { }""" },
        { "DD0040", """[Teacher(Input = "784", Outputs = 10)] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; } [Student(Layers = "784,32,[|9|]")] [Distill(typeof(T))] public partial class S { }""" },
        { "DD0041", """[Teacher(Input = "1x28x28", Outputs = 10)] public partial class T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> { public T() : base("T") { } public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x; } [Student(Layers = "[|3x28x28|], conv(4, 3), 10")] [Distill(typeof(T))] public partial class S { }""" },
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
        { "DD1005", """[Teacher(Layers = "4,8,2")] public partial class T { } [Student(Layers = "4,2")] [Distill(HintTraining = [|HintTraining.Combined|])] public partial class S { }""" },
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

    /// <summary>Mistakes in the architecture grammar: ID, the item marked inside the string, and what the message must say.</summary>
    public static readonly TheoryData<string, string, string> ArchitectureMistakes = new()
    {
        { "DD0001", "1x28x28, [|convv|](32, 3), 10", "'convv' is not a layer; a layer is a width such as 128, conv(C, K)" },
        { "DD0001", "1x28x28, [|Conv|](32, 3), 10", "names are lower case: conv" },
        { "DD0001", "1x28x28, [|conv(32)|], 10", "conv needs its channels and kernel" },
        { "DD0001", "1x28x28, conv(32, 3, [|1|]), 10", "conv takes 2 positional arguments (channels, kernel)" },
        { "DD0001", "1x28x28, conv(32, 3, [|padding: 1|]), 10", "conv has no named argument 'padding'; it has stride and pad" },
        { "DD0001", "1x28x28, conv(32, 3, stride: 2, [|stride: 1|]), 10", "conv gives 'stride' twice" },
        { "DD0001", "1x28x28, conv(32, 3, stride: 2, [|3|]), 10", "positional arguments come before named ones" },
        { "DD0001", "1x28x28, conv([|0|], 3), 10", "conv's channels must be at least 1; found 0" },
        { "DD0001", "1x28x28, conv(32, [|three|]), 10", "conv's kernel must be a whole number; found 'three'" },
        { "DD0001", "1x28x28, maxpool(2, stride: [|0|]), 10", "maxpool's stride must be at least 1" },
        { "DD0001", "784, 100, dropout([|1.5|]), 10", "dropout needs a probability in [0, 1)" },
        { "DD0001", "1x28x28, conv[|(|]32, 3, 10", "'conv(32, 3, 10' has no closing parenthesis" },
        { "DD0001", "1x28x28, conv(32, 3)[|)|], 10", "')' closes no '('" },
        { "DD0001", "784, [|1x28x28|], 10", "an image shape such as 1x28x28 can only be the first item" },
        { "DD0001", "[|1x28|], 10", "'1x28' is not an image shape: write channels x height x width" },
        { "DD0001", "1x[|0|]x28, 10", "image height of 0" },
        { "DD0001", "[|conv(32, 3)|], 10", "the first item is the input" },
        { "DD0001", "1x28x28, [|bn(32)|], 10", "bn takes no arguments" },
        { "DD0050", "1x28x28, conv(64, 3, stride: 2), maxpool(4), maxpool(3), [|maxpool(2)|], 10", "maxpool(2) needs at least 2x2 but the input here is 64x1x1" },
        { "DD0050", "1x4x4, [|conv(8, 5)|], 10", "conv(8, 5) needs at least 5x5 but the input here is 1x4x4" },
        { "DD0050", "1x4x4, [|conv(8, 7, pad: 1)|], 10", "conv(8, 7, pad: 1) needs at least 7x7 with pad 1 but the input here is 1x4x4" },
        { "DD0050", "3x32x32, avgpool(8), [|dwconv(5)|], 10", "dwconv(5) needs at least 5x5 but the input here is 3x4x4" },
        { "DD0051", "1x28x28, 128, [|conv(8, 3)|], 10", "conv(8, 3) needs an image (channels x height x width) but the input here is a vector of 128" },
        { "DD0051", "784, [|maxpool(2)|], 10", "maxpool(2) needs an image (channels x height x width) but the input here is a vector of 784" },
        { "DD0051", "3x32x32, gap, [|res(16)|], 10", "res(16) needs an image (channels x height x width) but the input here is a vector of 3" },
        { "DD0051", "3x32x32, flatten, [|flatten|], 10", "flatten needs an image" },
        { "DD0052", "3x32x32, conv(8, 3), [|gap|]", "Layers at position 22: the last item must be a fully connected layer whose width is the number of classes; found gap (the output here is a vector of 8)" },
        { "DD0052", "784, 100, [|dropout(0.5)|]", "found dropout(0.5)" },
        { "DD0053", "[|3x65536x65536|], 10", "the input 3x65536x65536 has 12,884,901,888 features" },
        { "DD0053", "1x40000x40000, [|conv(2, 1)|], 10", "conv(2, 1) makes 2x40000x40000 = 3,200,000,000 features per example" },
        // Text networks
        { "DD0001", "[|tokens(20000)|], embed(64), gap, 2", "'tokens(20000)' has 1 argument: write tokens(V, L)" },
        { "DD0001", "tokens([|0x10|], 128), embed(64), gap, 2", "'0x10' is not a whole number" },
        { "DD0001", "128, [|tokens(100, 20)|], 2", "token ids such as tokens(100, 20) can only be the first item (the input)" },
        { "DD0050", "tokens(100, 4), embed(8), [|conv1d(4, 5)|], gap, 2", "conv1d(4, 5) needs at least 5 steps but the input here is a sequence of 4 steps of 8 features" },
        { "DD0072", "tokens(100, 20), [|64|], 2", "64 cannot read token ids (20 per example, vocabulary 100): embed them first" },
        { "DD0072", "tokens(100, 20), embed(8), [|32|], 2", "32 cannot read a sequence of 20 steps of 8 features: read it out first with gap" },
        { "DD0072", "tokens(100, 20), embed(8), [|maxpool(2)|], gap, 2", "maxpool(2) cannot read a sequence of 20 steps of 8 features" },
        { "DD0072", "tokens(100, 20), embed(8), gmp, [|bilstm(4)|], 2", "bilstm(4) needs a sequence (embed token ids first) but the input here is a vector of 8" },
        { "DD0072", "1x28x28, [|embed(8)|], 2", "embed(8) reads token ids, the input tokens(V, L), but the input here is 1x28x28" },
        { "DD0052", "tokens(100, 20), embed(8), [|lstm(4)|]", "found lstm(4) (the output here is a sequence of 20 steps of 4 features)" },
    };

    [Theory]
    [MemberData(nameof(ArchitectureMistakes))]
    public void An_architecture_mistake_is_reported_on_its_item_naming_the_shape_there(string id, string markedLayers, string message)
    {
        var source = MarkedSource.Parse(Prelude + $"[Teacher(Layers = \"{markedLayers}\")] public partial class T {{ }}");
        var result = GeneratorHarness.Run(source.Text);

        Assert.False(result.GeneratorCrashed);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(source.Span, diagnostic.Location.SourceSpan);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(result.Sources.Keys, k => k.EndsWith(".T.g.cs", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1x28x28", "784, 100, 10", null)]                            // an MLP student of a conv teacher: same 784 features
    [InlineData("1x28x28", "1x28x28, conv(4, 3), 10", null)]
    [InlineData("1x28x28", "3x28x28, conv(4, 3), 10", "Student 'Demo.S' takes 3x28x28 (2,352 features) but teacher 'Demo.T' takes 1x28x28 (784 features)")]
    [InlineData("1x28x28", "4x14x14, conv(4, 3), 10", "Student 'Demo.S' takes 4x14x14 (784 features) but teacher 'Demo.T' takes 1x28x28 (784 features)")]
    [InlineData("1x28x28", "785, 10", "Student 'Demo.S' takes 785 features but teacher 'Demo.T' takes 1x28x28 (784 features)")]
    [InlineData("3x32x32", "1x28x28, conv(4, 3), 10", "Student 'Demo.S' takes 1x28x28 (784 features) but teacher 'Demo.T' takes 3x32x32 (3,072 features)")]
    [InlineData("3x32x32", "784, 100, 10", "Student 'Demo.S' takes 784 features but teacher 'Demo.T' takes 3x32x32 (3,072 features)")]
    public void Conv_teachers_and_their_students_agree_on_the_input(string teacherInput, string studentLayers, string? mismatch)
    {
        var result = GeneratorHarness.Run(Prelude + $$"""
            [Teacher(Layers = "{{teacherInput}}, conv(32, 3), maxpool(2), 128, 10")] public partial class T { }
            [Student(Layers = "{{studentLayers}}")] [Distill] public partial class S { }
            """);

        if (mismatch is null)
        {
            Assert.Empty(result.Diagnostics);
            Assert.Contains("Demo.S.Distill.g.cs", result.Sources.Keys);
            Assert.Empty(result.CompilerDiagnostics);
        }
        else
        {
            Assert.Equal(2, result.Diagnostics.Count); // on [Distill] and on the student's input item
            Assert.All(result.Diagnostics, d => Assert.Equal("DD0041", d.Id));
            Assert.All(result.Diagnostics, d => Assert.Contains(mismatch, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        }
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

    [Fact]
    public void Input_mismatch_of_vector_networks_names_both_feature_counts()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "784,1200,10")] public partial class T { }
            [Student(Layers = "783,800,10")] [Distill(typeof(T))] public partial class S { }
            """);

        Assert.Equal(2, result.Diagnostics.Count);
        Assert.All(result.Diagnostics, d => Assert.Equal(
            "Student 'Demo.S' takes 783 features but teacher 'Demo.T' takes 784 features; both must read the same transfer set",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Ensemble_input_mismatch_names_both_shapes_and_feature_counts()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "1x28x28, conv(8, 3), 10")] public partial class A { }
            [Teacher(Layers = "3x32x32, conv(8, 3), 10")] public partial class B { }
            [Student(Layers = "784, 10")] [Distill(typeof(A), typeof(B))] public partial class S { }
            """);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "DD0042");
        Assert.Equal("The ensemble's teachers disagree on their inputs: 'Demo.A' has 1x28x28 (784 features) but 'Demo.B' has 3x32x32 (3,072 features)",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
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
