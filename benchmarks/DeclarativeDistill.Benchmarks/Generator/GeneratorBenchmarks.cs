using System.Collections.Generic;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using DeclarativeDistill.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DeclarativeDistill.Benchmarks;

/// <summary>
/// The generator over a compilation of 500 declarations in 100 files (per namespace: one teacher and four
/// distilled students, two of them inferring their teacher): a whole run from scratch, as a command-line
/// build does, and the incremental run after one student's Temperature is edited, as an IDE does per keystroke.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    public const int Namespaces = 100;
    public const int DeclarationsPerNamespace = 5;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private IReadOnlyList<SyntaxTree> trees = null!;
    private IReadOnlyList<MetadataReference> references = null!;
    private CSharpCompilation current = null!, floorCurrent = null!;
    private GeneratorDriver driver = null!, floorDriver = null!;
    private SyntaxTree original = null!, edited = null!;

    [GlobalSetup]
    public void Setup()
    {
        references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(TeacherAttribute).Assembly.Location))
            .ToList();
        trees = Enumerable.Range(0, Namespaces)
            .Select(i => CSharpSyntaxTree.ParseText(File(i, temperature: 4), ParseOptions, path: $"Models{i}.cs"))
            .ToList();

        current = Compilation();
        driver = NewDriver().RunGenerators(current);
        floorCurrent = Compilation();
        floorDriver = CSharpGeneratorDriver.Create(new[] { new AttributeOnlyGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGenerators(floorCurrent);
        original = trees[Namespaces / 2];
        edited = CSharpSyntaxTree.ParseText(File(Namespaces / 2, temperature: 5), ParseOptions, path: original.FilePath);
    }

    /// <summary>A fresh compilation and driver: nothing cached, every declaration parsed, resolved and emitted.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(Compilation());

    /// <summary>One Temperature edited (alternately 4 → 5 and back) on a driver that has seen the compilation.</summary>
    [Benchmark]
    public GeneratorDriver OneDeclarationEdit()
    {
        var (from, to) = current.SyntaxTrees.Contains(original) ? (original, edited) : (edited, original);
        current = current.ReplaceSyntaxTree(from, to);
        driver = driver.RunGenerators(current);
        return driver;
    }

    /// <summary>
    /// The floor: the same edit under a generator that only finds the three attributes (the same
    /// ForAttributeWithMetadataName calls) and does nothing else. What Roslyn costs any such generator.
    /// </summary>
    [Benchmark]
    public GeneratorDriver OneDeclarationEditFloor()
    {
        var (from, to) = floorCurrent.SyntaxTrees.Contains(original) ? (original, edited) : (edited, original);
        floorCurrent = floorCurrent.ReplaceSyntaxTree(from, to);
        floorDriver = floorDriver.RunGenerators(floorCurrent);
        return floorDriver;
    }

    /// <summary>How many files the full run generates: a check that the benchmark exercises the generator.</summary>
    public int GeneratedFiles() => NewDriver().RunGenerators(Compilation()).GetRunResult().GeneratedTrees.Length;

    private CSharpCompilation Compilation() =>
        CSharpCompilation.Create("Benchmark", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new[] { new DistillationGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static string File(int index, double temperature)
    {
        var text = new StringBuilder($"using DeclarativeDistill;\nnamespace Models{index};\n\n");
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
