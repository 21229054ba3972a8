using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DeclarativeDistill.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DeclarativeDistill.Generators.Tests.Infrastructure;

/// <summary>Compiles sources against net10.0, TorchSharp and the DeclarativeDistill runtime, with the generator.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(TeacherAttribute).Assembly.Location))
            .ToImmutableArray());

    public static CSharpCompilation Compilation(params string[] sources) =>
        Compilation("Tests", Enumerable.Empty<MetadataReference>(), sources);

    /// <summary>An assembly <paramref name="assemblyName"/> that also references <paramref name="references"/>.</summary>
    public static CSharpCompilation Compilation(string assemblyName, IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References.Value.Concat(references),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the .NET SDK does: unification of System.Runtime 8.0 (TorchSharp's) with 10.0 is expected.
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    public static GeneratorDriver Driver(bool trackSteps = false, IEnumerable<AdditionalText>? additionalTexts = null,
        IReadOnlyDictionary<string, string>? buildProperties = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new DistillationGenerator().AsSourceGenerator() },
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            optionsProvider: buildProperties is null ? null : new BuildProperties(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>What the package's build files tell the generator (DeclarativeDistill.targets).</summary>
    public static readonly IReadOnlyDictionary<string, string> PackageBuild = new Dictionary<string, string>
    {
        ["build_property.DeclarativeDistillReadsOnnxModels"] = "true",
    };

    /// <summary>
    /// Runs the generator once over <paramref name="sources"/> with the build's additional files (path, text), as the
    /// package's build files run it unless <paramref name="buildProperties"/> says otherwise.
    /// </summary>
    public static Result RunWithFiles(IEnumerable<(string Path, string Text)> files, params string[] sources) =>
        RunWithFiles(files, PackageBuild, sources);

    /// <summary>Runs the generator with <paramref name="buildProperties"/> as the compiler's global options.</summary>
    public static Result RunWithFiles(IEnumerable<(string Path, string Text)> files, IReadOnlyDictionary<string, string> buildProperties, params string[] sources)
    {
        var driver = Driver(additionalTexts: files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)), buildProperties: buildProperties)
            .RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out var generatorDiagnostics);
        return new Result(driver.GetRunResult(), output, generatorDiagnostics);
    }

    /// <summary>MSBuild properties as the compiler hands them to generators (<c>build_property.X</c>).</summary>
    private sealed class BuildProperties : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        private readonly Options global;

        public BuildProperties(IReadOnlyDictionary<string, string> values) => global = new Options(values);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => global;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());

            private readonly IReadOnlyDictionary<string, string> values;

            public Options(IReadOnlyDictionary<string, string> values) => this.values = values;

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }

    /// <summary>An additional file as the compiler hands it to generators.</summary>
    private sealed class InMemoryText : AdditionalText
    {
        private readonly string text;

        public InMemoryText(string path, string text)
        {
            Path = path;
            this.text = text;
        }

        public override string Path { get; }

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) =>
            Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static Result Run(params string[] sources) => Run(Compilation(sources));

    /// <summary>Runs the generator once over <paramref name="input"/>.</summary>
    public static Result Run(CSharpCompilation input)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        return new Result(driver.GetRunResult(), output, generatorDiagnostics);
    }

    public sealed record Result(GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        /// <summary>The generator's own diagnostics (DD*).</summary>
        public IReadOnlyList<Diagnostic> Diagnostics => RunResult.Diagnostics;

        /// <summary>Generated files by hint name.</summary>
        public IReadOnlyDictionary<string, string> Sources => RunResult.Results
            .SelectMany(r => r.GeneratedSources)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        /// <summary>Everything the compiler says about the program with the generated code, warnings included.</summary>
        public IReadOnlyList<Diagnostic> CompilerDiagnostics => Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();

        /// <summary>The generator threw (reported as CS8785 or as an exception in the run result).</summary>
        public bool GeneratorCrashed =>
            RunResult.Results.Any(r => r.Exception is not null) || GeneratorDiagnostics.Any(d => d.Id == "CS8785");
    }
}
