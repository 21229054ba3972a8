using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>
/// <c>[Teacher(Onnx = ...)]</c>: the shapes come from the signature the build writes beside the model
/// (ReadOnnxSignatures, tested end to end by the package tests), and students are checked against them.
/// </summary>
public class OnnxTeacherDeclarationTests
{
    private const string Signature = "input pixels float ?,784\noutput scores float ?,10\n";

    /// <summary>The signature the build writes for a model it copies to <paramref name="targetPath"/> in the output.</summary>
    private static (string, string)[] Files(string signature = Signature, string targetPath = "digits.onnx") =>
        new[] { ($"/project/obj/Debug/net10.0/DeclarativeDistill/{targetPath.Replace('/', '_')}.signature", $"path {targetPath}\n" + signature) };

    [Fact]
    public void The_teacher_takes_its_shapes_from_the_file_and_derives_from_OnnxTeacher()
    {
        var result = GeneratorHarness.RunWithFiles(Files(targetPath: "models/digits.onnx"), """
            using DeclarativeDistill;
            namespace Models;
            [Teacher(Onnx = "models/digits.onnx")] public partial class Digits { }
            [Student(Layers = "784, 32, 10")] [Distill] public partial class Pupil { }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerDiagnostics);
        string teacher = result.Sources["Models.Digits.g.cs"];
        Assert.Contains("partial class Digits : global::DeclarativeDistill.OnnxTeacher", teacher);
        Assert.Contains("public const string InputShape = \"784\";", teacher);
        Assert.Contains("public const int OutputSize = 10;", teacher);
        Assert.Contains(": base(\"models/digits.onnx\", InputShape, OutputSize)", teacher);
        Assert.DoesNotContain("Fit(", teacher);
    }

    [Fact]
    public void A_student_that_does_not_match_the_files_classes_fails_the_build()
    {
        var result = GeneratorHarness.RunWithFiles(Files(), """
            using DeclarativeDistill;
            namespace Models;
            [Teacher(Onnx = "digits.onnx")] public partial class Digits { }
            [Student(Layers = "784, 32, 9")] [Distill] public partial class Pupil { }
            """);

        Assert.Equal(2, result.Diagnostics.Count(d => d.Id == "DD0040")); // on the student's 9 and on its [Distill]
        Assert.All(result.Diagnostics, d => Assert.Contains("has 9 outputs but teacher 'Models.Digits' has 10", d.GetMessage()));
    }

    [Theory]
    [InlineData("error no graph: not an ONNX model", "cannot be read: no graph")]
    [InlineData("input x int32 ?,784\noutput y float ?,10", "reads int32 values; a teacher reads float32 features (float) or int64 token ids (int64)")]
    [InlineData("input input_ids int64 ?,128\noutput logits float ?,2\ninputs input_ids,attention_mask", "reads int64 token ids 'input_ids' but the build found no embedding table")]
    [InlineData("input input_ids int64 ?,?\noutput logits float ?,2\nvocabulary 30522", "reads int64 [?, ?]; a text teacher reads token ids [batch, L] with L fixed")]
    [InlineData("input x float ?,?\noutput y float ?,10", "reads [?, ?]")]
    [InlineData("input x float ?,784\noutput y float ?,10,2", "gives [?, 10, 2]")]
    public void A_model_that_cannot_be_a_teacher_is_DD0056_on_the_file_name(string signature, string expected)
    {
        var result = GeneratorHarness.RunWithFiles(Files(signature), """
            using DeclarativeDistill;
            [Teacher(Onnx = "digits.onnx")] public partial class Digits { }
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0056", error.Id);
        Assert.Contains(expected, error.GetMessage());
        var span = error.Location.GetLineSpan();
        Assert.Equal((1, 16), (span.StartLinePosition.Line, span.StartLinePosition.Character)); // on "digits.onnx"
        Assert.Equal(16 + "\"digits.onnx\"".Length, span.EndLinePosition.Character);
    }

    private const string TextSignature = "input input_ids int64 ?,128\noutput logits float ?,2\nvocabulary 30522\ninputs input_ids,attention_mask\n";

    [Fact]
    public void A_text_teacher_reads_token_ids_of_the_vocabulary_its_embedding_has()
    {
        var result = GeneratorHarness.RunWithFiles(Files(TextSignature, "sentiment.onnx"), """
            using DeclarativeDistill;
            namespace Models;
            [Teacher(Onnx = "sentiment.onnx")] public partial class Sentiment { }
            [Student(Layers = "tokens(30522, 128), embed(32), gap, 2")] [Distill] public partial class Pupil { }
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompilerDiagnostics);
        Assert.Contains("public const string InputShape = \"tokens(30522, 128)\";", result.Sources["Models.Sentiment.g.cs"]);
    }

    [Theory]
    [InlineData("tokens(20000, 128), embed(32), gap, 2", "DD0041", "tokens(20000, 128) (128 token ids)")]
    [InlineData("tokens(30522, 64), embed(32), gap, 2", "DD0041", "tokens(30522, 64) (64 token ids)")]
    [InlineData("tokens(30522, 128), embed(32), gap, 3", "DD0040", "has 3 outputs but teacher 'Models.Sentiment' has 2")]
    public void A_student_of_another_vocabulary_length_or_class_count_fails_the_build(string layers, string id, string message)
    {
        var result = GeneratorHarness.RunWithFiles(Files(TextSignature, "sentiment.onnx"), $$"""
            using DeclarativeDistill;
            namespace Models;
            [Teacher(Onnx = "sentiment.onnx")] public partial class Sentiment { }
            [Student(Layers = "{{layers}}")] [Distill] public partial class Pupil { }
            """);

        Assert.Equal(2, result.Diagnostics.Count(d => d.Id == id)); // on the student's input or classes, and on its [Distill]
        Assert.All(result.Diagnostics.Where(d => d.Id == id), d => Assert.Contains(message, d.GetMessage()));
    }

    [Fact]
    public void A_model_the_build_did_not_read_says_how_to_add_it()
    {
        var result = GeneratorHarness.RunWithFiles(Enumerable.Empty<(string, string)>(), """
            using DeclarativeDistill;
            [Teacher(Onnx = "digits.onnx")] public partial class Digits { }
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0056", error.Id);
        Assert.Contains("add <AdditionalFiles Include=\"digits.onnx\" /> to the project", error.GetMessage());
    }

    [Fact]
    public void A_model_in_a_folder_is_declared_by_its_path_in_the_output()
    {
        var result = GeneratorHarness.RunWithFiles(Files(targetPath: "models/digits.onnx"), """
            using DeclarativeDistill;
            [Teacher(Onnx = "digits.onnx")] public partial class Digits { }
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0056", error.Id);
        Assert.Contains("the build copies 'models/digits.onnx' to the output, where the application looks for the declared path; write Onnx = \"models/digits.onnx\"",
            error.GetMessage());
        Assert.Empty(GeneratorHarness.RunWithFiles(Files(targetPath: "models/digits.onnx"), """
            using DeclarativeDistill;
            [Teacher(Onnx = "./models\\digits.onnx")] public partial class Digits { }
            """).Diagnostics);
    }

    [Fact]
    public void Without_the_packages_build_files_DD0056_says_what_to_import()
    {
        // Project references to a clone bring the generator but not the build step that reads the model.
        var result = GeneratorHarness.RunWithFiles(Enumerable.Empty<(string, string)>(), new System.Collections.Generic.Dictionary<string, string>(), """
            using DeclarativeDistill;
            [Teacher(Onnx = "digits.onnx")] public partial class Digits { }
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0056", error.Id);
        Assert.Contains("project references do not", error.GetMessage());
        Assert.Contains("<Import Project=\"path/to/DeclarativeDistill/src/DeclarativeDistill/build/DeclarativeDistill.targets\" />", error.GetMessage());
    }

    [Fact]
    public void Onnx_does_not_go_with_layers_or_shapes()
    {
        var result = GeneratorHarness.RunWithFiles(Files(), """
            using DeclarativeDistill;
            [Teacher(Onnx = "digits.onnx", Outputs = 10)] public partial class Digits { }
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("DD0054", error.Id);
        Assert.Contains("Outputs does not go with Onnx", error.GetMessage());
    }
}
