using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>
/// A wrong declaration costs the user its DD errors only: the members the user's code uses stand in (throwing), so the
/// compiler adds no CS0117/CS1061 for each use beneath the DD errors.
/// </summary>
public class PlaceholderTests
{
    private const string Prelude = "using DeclarativeDistill;\nnamespace Demo;\n";

    /// <summary>User code that reaches every kind of generated member of a student, its distillation and its teacher.</summary>
    private const string Program = """

        public static class Program
        {
            public static void Use(DataSource data)
            {
                var teacher = new T();
                teacher.Fit(data);
                var student = new S();
                student.Fit(data, new TrainingOptions { Epochs = 1 });
                TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> module = student;
                IGeneratedNetwork network = student;
                string described = Describe<S>();
                int outputs = S.OutputSize + T.OutputSize;
                int inputs = S.InputSize;
                string shape = S.InputShape;
                long parameters = S.ParameterCount + S.MultiplyAdds;
                string architecture = S.Architecture;
                var report = student.Distill(teacher, data);
                var fidelity = student.MeasureFidelity(teacher, data);
                var sweep = student.Distill(teacher, data, objective: S.Objective with { Temperature = S.Temperature * 2 });
                double weights = S.Alpha + S.Beta;
                Evaluation evaluation = student.Evaluate(data);
                Prediction prediction = student.Classify(new float[S.InputSize]);
                var predictions = student.ClassifyBatch(new float[S.InputSize]);
                var classes = student.Predict(TorchSharp.torch.zeros(1, S.InputSize));
                var features = student.Features(TorchSharp.torch.zeros(1, S.InputSize), student.FeatureLayers[0]);
                student.InputNormalization = null;
                var names = student.ClassNames;
                var description = S.Description;
                student.Save("s.bin");
                var loaded = S.Load("s.bin");
                student.LoadPyTorch("s.pt");
                student.ExportOnnx("s.onnx");
                student.ExportOnnx("s.onnx", OnnxWeights.Int8);
                var loss = S.DistillationLoss(classes, classes, classes);
                _ = (module, network, described, outputs, inputs, shape, parameters, architecture, report, fidelity, sweep, weights, evaluation,
                    prediction, predictions, features, names, description, loaded, loss);
            }

            private static string Describe<TNetwork>() where TNetwork : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>, IGeneratedNetwork<TNetwork>, new() =>
                TNetwork.Architecture + TNetwork.OutputSize;
        }
        """;

    public static readonly TheoryData<string, string> WrongDeclarations = new()
    {
        // The student has 9 classes and the teacher 10: the networks are generated, the distillation is not.
        { "DD0040", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,800,9")] [Distill(typeof(T))] public partial class S { }""" },
        // The student's Layers do not parse: no network, and so no distillation.
        { "DD0001", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,8x0,10")] [Distill(typeof(T))] public partial class S { }""" },
        { "DD0001", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "1x28x28, convv(8, 3), 10")] [Distill] public partial class S { }""" },
        // A value out of range in [Distill].
        { "DD0010", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,10")] [Distill(Temperature = 0)] public partial class S { }""" },
        // A shape that does not fit: the input is known, the classes are not.
        { "DD0050", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "1x4x4, conv(8, 5), 10")] [Distill(typeof(T))] public partial class S { }""" },
        // The teacher is wrong: it stands in too, and the student's Distill still takes it.
        { "DD0001", """[Teacher(Layers = "784,12 00,10")] public partial class T { } [Student(Layers = "784,800,10")] [Distill(typeof(T))] public partial class S { }""" },
        // Both wrong.
        { "DD0001 DD0010", """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,,10")] [Distill(typeof(T), Alpha = 0.5, Temperature = -1)] public partial class S { }""" },
    };

    [Theory]
    [MemberData(nameof(WrongDeclarations))]
    public void A_wrong_declaration_gives_its_DD_errors_and_no_CS_errors(string ids, string declarations)
    {
        var result = GeneratorHarness.Run(Prelude + declarations + Program);

        Assert.False(result.GeneratorCrashed);
        Assert.Equal(ids.Split(' '), result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().OrderBy(id => id));
        Assert.Empty(result.CompilerDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void A_member_the_user_declared_is_left_out_of_the_placeholder()
    {
        // The grammar error comes first (the conflict is checked on a network that parses); a second InputSize would be CS0102.
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "784,1200,10")] public partial class T { }
            [Student(Layers = "784,800,,10")] [Distill(typeof(T))] public partial class S { public const int InputSize = 784; }

            public static class Program
            {
                public static void Use(DataSource data)
                {
                    var student = new S();
                    student.Fit(data);
                    student.Distill(new T(), data);
                    _ = (S.InputSize, S.OutputSize, student.Evaluate(data));
                }
            }
            """);

        Assert.Equal("DD0001", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.CompilerDiagnostics.Select(d => d.ToString().Substring(d.ToString().IndexOf(": ") + 2)));
        Assert.DoesNotContain("InputSize = 0", result.Sources["Demo.S.Placeholder.g.cs"]);
    }

    [Fact]
    public void A_teacher_that_cannot_be_inferred_stands_in_as_any_type()
    {
        // The only teacher of the namespace is wrong, so none is inferred (DD0032 beside its own DD0001); Distill takes any teacher.
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "784,,10")] public partial class T { }
            [Student(Layers = "784,800,10")] [Distill] public partial class S { }
            """ + Program);

        Assert.Equal(new[] { "DD0001", "DD0032" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Empty(result.CompilerDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Hand_written_and_ONNX_teachers_with_errors_stand_in_with_their_own_members()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Input = "1x28x28", Outputs = 0)]
            public partial class Mine : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
            {
                public Mine() : base("Mine") { }
                public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor x) => x;
            }

            [Teacher(Onnx = "missing.onnx")] public partial class Imported { }

            public static class Program
            {
                public static void Use(DataSource data)
                {
                    var mine = new Mine();
                    mine.Fit(data);
                    mine.Save("mine.bin");
                    var imported = new Imported();
                    TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> module = new Imported("elsewhere.onnx");
                    _ = (Mine.InputSize, Mine.InputShape, Mine.OutputSize, Imported.InputShape, Imported.OutputSize,
                        mine.Evaluate(data), imported.Evaluate(data), imported.Classify(new float[Imported.InputSize]), module);
                }
            }
            """);

        Assert.Equal(new[] { "DD0054", "DD0056" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Empty(result.CompilerDiagnostics.Select(d => d.ToString()));
        // What the declaration determines stays: the hand-written teacher's input.
        Assert.Contains("public const string InputShape = \"1x28x28\";", result.Sources["Demo.Mine.Placeholder.g.cs"]);
    }

    [Fact]
    public void A_class_that_cannot_be_extended_gets_no_placeholder()
    {
        // A partial declaration of a class that is not partial would be a CS error of its own.
        var result = GeneratorHarness.Run(Prelude + """[Teacher(Layers = "784,,10")] public class T { }""");

        Assert.Equal(new[] { "DD0001", "DD0020" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.DoesNotContain(result.Sources.Keys, k => k.Contains("Placeholder"));
    }

    [Fact]
    public void The_placeholder_has_the_public_members_of_the_generated_class()
    {
        // The same user code compiles against both, so a member added to the emitters and forgotten here fails this test.
        var valid = GeneratorHarness.Run(Prelude + """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,10")] [Distill(typeof(T))] public partial class S { }""");
        var wrong = GeneratorHarness.Run(Prelude + """[Teacher(Layers = "784,1200,10")] public partial class T { } [Student(Layers = "784,800,,10")] [Distill(typeof(T), Temperature = 0)] public partial class S { }""");

        Assert.Equal(PublicMembers(valid.Output), PublicMembers(wrong.Output));
        Assert.Contains("Demo.S.Placeholder.g.cs", wrong.Sources.Keys);
        Assert.Contains("Demo.S.Distill.Placeholder.g.cs", wrong.Sources.Keys);

        static string[] PublicMembers(Compilation compilation) =>
            compilation.GetTypeByMetadataName("Demo.S")!.GetMembers()
                .Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared)
                .Select(m => m.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)) // names and types, not constants' values
                .Concat(compilation.GetTypeByMetadataName("Demo.S")!.AllInterfaces.Select(i => "implements " + i.ToDisplayString()))
                .OrderBy(m => m, System.StringComparer.Ordinal)
                .ToArray();
    }

    [Fact]
    public void Placeholders_match_their_snapshots()
    {
        var result = GeneratorHarness.Run(Prelude + """
            [Teacher(Layers = "784,1200,10")] public partial class T { }
            [Student(Layers = "784,800,,10")] [Distill(typeof(T), Temperature = 0)] public partial class S { }
            """);

        Snapshot.Verify("Placeholder.Demo.S.Placeholder", result.Sources["Demo.S.Placeholder.g.cs"]);
        Snapshot.Verify("Placeholder.Demo.S.Distill.Placeholder", result.Sources["Demo.S.Distill.Placeholder.g.cs"]);
    }
}
