using System.Collections.Generic;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using DeclarativeDistill.Generators;
using DeclarativeDistill.Generators.Declarations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclarativeDistill.Benchmarks;

/// <summary>
/// The generator over a compilation of 500 declarations in 100 files (per namespace: one teacher and four
/// distilled students, two of them inferring their teacher), fully connected (<c>mlp</c>) or conv and ResNet
/// (<c>conv</c>): a whole run from scratch, as a command-line build does, and the incremental run after one
/// student's Temperature is edited, as an IDE does per keystroke.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    public const int Namespaces = 100;
    public const int DeclarationsPerNamespace = 5;

    /// <summary>Which architectures the 500 declarations use.</summary>
    [Params("mlp", "conv")]
    public string Architectures { get; set; } = "mlp";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private IReadOnlyList<SyntaxTree> trees = null!;
    private IReadOnlyList<MetadataReference> references = null!;
    private CSharpCompilation current = null!, floorCurrent = null!, syntaxCurrent = null!;
    private CSharpCompilation transformsCurrent = null!;
    private GeneratorDriver driver = null!, floorDriver = null!, syntaxDriver = null!, transformsDriver = null!;
    private SyntaxTree original = null!, edited = null!;

    [GlobalSetup]
    public void Setup()
    {
        references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(TeacherAttribute).Assembly.Location))
            .ToList();
        trees = Enumerable.Range(0, Namespaces)
            .Select(i => CSharpSyntaxTree.ParseText(File(i, temperature: 4, Architectures), ParseOptions, path: $"Models{i}.cs"))
            .ToList();

        current = Compilation();
        driver = NewDriver().RunGenerators(current);
        floorCurrent = Compilation();
        floorDriver = CSharpGeneratorDriver.Create(new[] { new AttributeOnlyGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGenerators(floorCurrent);
        transformsCurrent = Compilation();
        transformsDriver = CSharpGeneratorDriver.Create(new[] { new TransformsOnlyGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGenerators(transformsCurrent);
        syntaxCurrent = Compilation();
        syntaxDriver = CSharpGeneratorDriver.Create(new[] { new SyntaxOnlyGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGenerators(syntaxCurrent);
        original = trees[Namespaces / 2];
        edited = CSharpSyntaxTree.ParseText(File(Namespaces / 2, temperature: 5, Architectures), ParseOptions, path: original.FilePath);
    }

    /// <summary>A fresh compilation and driver: nothing cached, every declaration parsed, resolved and emitted.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(Compilation());

    /// <summary>One Temperature edited (alternately 4 → 5 and back) on a driver that has seen the compilation.</summary>
    [Benchmark]
    public GeneratorDriver OneDeclarationEdit() => Edit(ref current, ref driver);

    /// <summary>
    /// The floor: the same edit under a generator that only finds the three attributes (the same
    /// ForAttributeWithMetadataName calls) and does nothing else. What Roslyn costs any such generator.
    /// </summary>
    [Benchmark]
    public GeneratorDriver OneDeclarationEditFloor() => Edit(ref floorCurrent, ref floorDriver);

    /// <summary>The same edit under the generator's own attribute transforms alone, with nothing after them.</summary>
    [Benchmark]
    public GeneratorDriver OneDeclarationEditTransformsOnly() => Edit(ref transformsCurrent, ref transformsDriver);

    /// <summary>
    /// The same edit under a generator that finds the annotated classes by syntax alone, binding nothing:
    /// the difference to the floor is what binding the attributes in the new compilation costs.
    /// </summary>
    [Benchmark]
    public GeneratorDriver OneDeclarationEditSyntaxOnly() => Edit(ref syntaxCurrent, ref syntaxDriver);

    /// <summary>How many files the full run generates: a check that the benchmark exercises the generator.</summary>
    public int GeneratedFiles() => NewDriver().RunGenerators(Compilation()).GetRunResult().GeneratedTrees.Length;

    /// <summary>Errors the full run reports: a check that the declarations are valid, so that every one is generated.</summary>
    public int Errors() => NewDriver().RunGenerators(Compilation()).GetRunResult().Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);

    private GeneratorDriver Edit(ref CSharpCompilation compilation, ref GeneratorDriver generatorDriver)
    {
        var (from, to) = compilation.SyntaxTrees.Contains(original) ? (original, edited) : (edited, original);
        compilation = compilation.ReplaceSyntaxTree(from, to);
        generatorDriver = generatorDriver.RunGenerators(compilation);
        return generatorDriver;
    }

    private CSharpCompilation Compilation() =>
        CSharpCompilation.Create("Benchmark", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new[] { new DistillationGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static string File(int index, double temperature, string architectures)
    {
        var text = new StringBuilder($"using DeclarativeDistill;\nnamespace Models{index};\n\n");
        if (architectures == "conv")
        {
            text.Append("[Teacher(Layers = \"3x32x32, conv(16, 3, pad: 1), bn, res(16), res(16), res(16), res(32, stride: 2), res(32), res(32), res(64, stride: 2), res(64), res(64), gap, 10\")] public partial class Teacher { }\n");
            text.Append($"[Student(Layers = \"3x32x32, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10\")] [Distill(Temperature = {temperature}, Alpha = 0.9)] public partial class Student{index}A {{ }}\n");
            text.Append("[Student(Layers = \"3x32x32, conv(32, 3, pad: 1), bn, maxpool(2), conv(64, 3, pad: 1), bn, maxpool(2), dropout(0.25), 128, 10\")] [Distill(Temperature = 8)] public partial class StudentB { }\n");
            text.Append("[Student(Layers = \"3x32x32, conv(16, 3, stride: 2, pad: 1), bn, dwconv(3, pad: 1), bn, conv(32, 1), bn, gap, 10\", Activation = Activation.GELU)] [Distill(typeof(Teacher), Temperature = 2.5, Beta = 0.5)] public partial class StudentC { }\n");
            text.Append("[Student(Layers = \"3072,100,10\")] [Distill(typeof(Teacher))] public partial class StudentD { }\n");
            return text.ToString();
        }
        text.Append("[Teacher(Layers = \"784,1200,1200,10\", Dropout = 0.5)] public partial class Teacher { }\n");
        text.Append($"[Student(Layers = \"784,800,800,10\")] [Distill(Temperature = {temperature}, Alpha = 0.9)] public partial class Student{index}A {{ }}\n");
        text.Append("[Student(Layers = \"784,300,10\")] [Distill(Temperature = 8)] public partial class StudentB { }\n");
        text.Append("[Student(Layers = \"784,100,10\", Activation = Activation.GELU)] [Distill(typeof(Teacher), Temperature = 2.5, Beta = 0.5)] public partial class StudentC { }\n");
        text.Append("[Student(Layers = \"784,30,10\")] [Distill(typeof(Teacher))] public partial class StudentD { }\n");
        return text.ToString();
    }
}

/// <summary>Finds the DeclarativeDistill attributes and keeps only the class names: the cost floor of the pipeline's first steps.</summary>
internal sealed class AttributeOnlyGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        foreach (string attribute in new[] { "DeclarativeDistill.TeacherAttribute", "DeclarativeDistill.StudentAttribute", "DeclarativeDistill.DistillAttribute" })
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName(attribute, (node, _) => true, (c, _) => c.TargetSymbol.Name);
            context.RegisterSourceOutput(names, (_, _) => { });
        }
    }
}

/// <summary>Finds the classes that carry attributes by syntax alone and binds nothing: an edit's cost without semantics.</summary>
internal sealed class SyntaxOnlyGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.CreateSyntaxProvider(
            (node, _) => node is ClassDeclarationSyntax { AttributeLists.Count: > 0 },
            (c, _) => ((ClassDeclarationSyntax)c.Node).Identifier.ValueText);
        context.RegisterSourceOutput(names, (_, _) => { });
    }
}

/// <summary>
/// The generator's three attribute transforms (the declarations read, arguments and their places) and nothing after them:
/// against the floor, what reading the declarations costs; against the whole generator, what the rest of the pipeline does.
/// </summary>
internal sealed class TransformsOnlyGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var teachers = context.SyntaxProvider.ForAttributeWithMetadataName("DeclarativeDistill.TeacherAttribute", (node, _) => true, NetworkReader.ReadTeacher);
        var students = context.SyntaxProvider.ForAttributeWithMetadataName("DeclarativeDistill.StudentAttribute", (node, _) => true, NetworkReader.ReadStudent);
        var distillations = context.SyntaxProvider.ForAttributeWithMetadataName("DeclarativeDistill.DistillAttribute", (node, _) => true, DistillationReader.Read);
        context.RegisterSourceOutput(teachers, (_, _) => { });
        context.RegisterSourceOutput(students, (_, _) => { });
        context.RegisterSourceOutput(distillations, (_, _) => { });
    }
}
