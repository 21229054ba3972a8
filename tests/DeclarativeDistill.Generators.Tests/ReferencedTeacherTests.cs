using System.IO;
using System.Linq;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>
/// Teachers compiled in another assembly, such as a shared library of trained teachers: a student names
/// one with typeof, and its shape comes from the attributes kept in metadata.
/// </summary>
public class ReferencedTeacherTests
{
    private static MetadataReference TeacherLibrary(string layers)
    {
        var library = GeneratorHarness.Run(GeneratorHarness.Compilation("Teachers", Enumerable.Empty<MetadataReference>(), $$"""
            using DeclarativeDistill;
            namespace Shared;
            [Teacher(Layers = "{{layers}}", Dropout = 0.5)] public partial class BigTeacher { }
            """));
        using var image = new MemoryStream();
        var emitted = library.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static GeneratorHarness.Result Student(MetadataReference teachers, string layers) =>
        GeneratorHarness.Run(GeneratorHarness.Compilation("App", new[] { teachers }, $$"""
            using DeclarativeDistill;
            namespace App;
            [Student(Layers = "{{layers}}")] [Distill(typeof(Shared.BigTeacher), Temperature = 8)] public partial class Student { }
            """));

    [Fact]
    public void A_student_distils_from_a_teacher_of_a_referenced_assembly()
    {
        var result = Student(TeacherLibrary("784,1200,10"), "784,30,10");

        Assert.Empty(result.Diagnostics);
        Assert.Contains("global::Shared.BigTeacher", result.Sources["App.Student.Distill.g.cs"]);
        Assert.Empty(result.CompilerDiagnostics);
    }

    [Fact]
    public void A_size_mismatch_with_a_referenced_teacher_is_reported()
    {
        var result = Student(TeacherLibrary("784,1200,10"), "784,30,9");

        Assert.Contains(result.Diagnostics, d => d.Id == "DD0040"
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("teacher 'Shared.BigTeacher' has 10"));
        Assert.DoesNotContain("App.Student.Distill.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void A_referenced_teacher_gives_hints_with_the_layers_its_metadata_declares()
    {
        var teachers = TeacherLibrary("784,1200,1200,10");
        string Hinted(string teacherLayer) => $$"""
            using DeclarativeDistill;
            namespace App;
            [Student(Layers = "784,64,64,10")] [Distill(typeof(Shared.BigTeacher))] [Hint(TeacherLayer = "{{teacherLayer}}", StudentLayer = "hidden2")] public partial class Student { }
            """;

        var sound = GeneratorHarness.Run(GeneratorHarness.Compilation("App", new[] { teachers }, Hinted("hidden2")));
        var unknown = GeneratorHarness.Run(GeneratorHarness.Compilation("App", new[] { teachers }, Hinted("hidden3")));

        Assert.Empty(sound.Diagnostics);
        Assert.Contains("HintRegressor.Linear(64, 1200, global::DeclarativeDistill.Activation.ReLU)", sound.Sources["App.Student.Distill.g.cs"]);
        Assert.Empty(sound.CompilerDiagnostics);
        Assert.Contains(unknown.Diagnostics, d => d.Id == "DD0060"
            && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'hidden3' is not a layer of the teacher 'Shared.BigTeacher', whose layers are hidden1, hidden2, output"));
    }
}
