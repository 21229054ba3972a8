using System;
using System.Linq;
using DeclarativeDistill.Generators.Analysis;
using DeclarativeDistill.Generators.Declarations;
using DeclarativeDistill.Generators.Emit;
using DeclarativeDistill.Generators.Methods;
using DeclarativeDistill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclarativeDistill.Generators;

/// <summary>
/// Turns <c>[Teacher]</c>, <c>[Student]</c> and <c>[Distill]</c> classes into TorchSharp modules with typed training and
/// distillation methods. Front ends → one model → back ends: the attribute transforms read declarations into small
/// equatable records (Declarations/), the analysis steps judge them into specs with their diagnostics (Analysis/, with
/// one descriptor per layer kind in Layers/), and the emitters write the specs as source (Emit/).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DistillationGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // What the build read of ONNX teachers' model files (where they go, their input shapes and classes), and whether
        // the build step that reads them is part of this build.
        var onnx = context.AdditionalTextsProvider
            .Where(text => text.Path.EndsWith(".onnx" + OnnxSignature.Extension, StringComparison.OrdinalIgnoreCase))
            .Select((text, ct) => OnnxSignature.Parse(text.Path, text.GetText(ct)?.ToString() ?? ""))
            .Collect()
            .Combine(context.AnalyzerConfigOptionsProvider.Select((options, _) =>
                options.GlobalOptions.TryGetValue(OnnxBuild.ReadsModelsProperty, out string? value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)))
            .Select((pair, _) => new OnnxBuild(pair.Right, pair.Left.OrderBy(s => s.TargetPath, StringComparer.Ordinal).ToEquatableArray()));

        // Each network: the attribute transform reads the declaration, and the analysis is a step of its own, which the
        // pipeline caches as long as the declaration is unchanged (every transform runs again after any edit). A
        // teacher's analysis also joins what the build read of its ONNX file, if it has one.
        var teachers = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.TeacherAttribute, IsTypeDeclaration,
                (c, ct) => Guarded.Run(c, ct, NetworkReader.ReadTeacher, Guarded.FailedDeclaration))
            .WithTrackingName(StepNames.TeacherDeclarations)
            .Combine(onnx)
            .Select((pair, _) => Guarded.Analyse(pair.Left!, pair.Right))
            .WithTrackingName(StepNames.TeacherAnalysis);

        var students = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.StudentAttribute, IsTypeDeclaration,
                (c, ct) => Guarded.Run(c, ct, NetworkReader.ReadStudent, Guarded.FailedDeclaration))
            .Where(declaration => declaration is not null)
            .WithTrackingName(StepNames.StudentDeclarations)
            .Select((declaration, _) => Guarded.Analyse(declaration!, NoOnnx))
            .WithTrackingName(StepNames.StudentAnalysis);

        // Whole-compilation steps are Collects, not a Select per declaration: each per-declaration node costs the
        // driver a pass over every declaration after every edit.
        var networkIndex = teachers.Collect()
            .Combine(students.Collect())
            .Select((pair, _) => NetworkIndex.Create(pair.Left.Concat(pair.Right).Select(result => result.Network?.Summary())))
            .WithTrackingName(StepNames.NetworkIndex);

        // Each distillation is analysed against the network index and the graph of who learns from whom (for cycles),
        // which are computed once for the compilation from the requests and the networks.
        var distillationRequests = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.DistillAttribute, IsTypeDeclaration,
                (c, ct) => Guarded.Run(c, ct, DistillationReader.Read, Guarded.FailedDistillation))
            .WithTrackingName(StepNames.DistillationRequests);

        var distillationGraph = distillationRequests
            .Collect()
            .Combine(networkIndex)
            .Select((pair, _) => CycleCheck.Graph(pair.Left, pair.Right))
            .WithTrackingName(StepNames.DistillationGraph);

        var distillations = distillationRequests
            .Combine(networkIndex.Combine(distillationGraph))
            .Select((pair, _) => Guarded.Analyse(pair.Left, pair.Right.Left, pair.Right.Right))
            .WithTrackingName(StepNames.Distillations);

        var hintsWithoutDistill = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.HintAttribute, IsTypeDeclaration,
                (c, ct) => Guarded.Run(c, ct, HintReader.CheckHasDistill, Guarded.FailedCheck))
            .WithTrackingName(StepNames.HintsWithoutDistill);

        var declaresNetworks = networkIndex
            .Select((index, _) => !index.IsEmpty)
            .WithTrackingName(StepNames.DeclaresNetworks);

        context.RegisterSourceOutput(teachers, EmitNetwork);
        context.RegisterSourceOutput(students, EmitNetwork);
        context.RegisterSourceOutput(distillations, EmitDistillation);
        context.RegisterSourceOutput(hintsWithoutDistill, ReportAll);

        // A method attribute needs [Distill] as a hint does. Each is found by its own name, which costs an edit nothing
        // in files that do not write it.
        foreach (var kind in MethodKinds.All)
        {
            var withoutDistill = context.SyntaxProvider
                .ForAttributeWithMetadataName(kind.MetadataName, IsTypeDeclaration,
                    (c, ct) => Guarded.Run(c, ct, MethodReader.CheckHasDistill, Guarded.FailedCheck))
                .WithTrackingName(StepNames.MethodsWithoutDistill);
            context.RegisterSourceOutput(withoutDistill, ReportAll);
        }
        context.RegisterSourceOutput(declaresNetworks, (output, declares) =>
        {
            if (declares)
            {
                output.AddSource(NativeInitializerEmitter.HintName, NativeInitializerEmitter.Emit());
            }
        });
    }

    /// <summary>What students analyse with: a student is never an ONNX model.</summary>
    private static readonly OnnxBuild NoOnnx = new(ReadsModels: true, EquatableArray<OnnxSignature>.Empty);

    private static bool IsTypeDeclaration(SyntaxNode node, System.Threading.CancellationToken _) =>
        node is TypeDeclarationSyntax;

    private static void ReportAll(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }

    private static void EmitNetwork(SourceProductionContext context, NetworkResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
        if (result.Network is { } network)
        {
            Guarded.AddSource(context, network.Type, "", () => NetworkEmitter.Emit(network));
        }
        else if (result.Placeholder is { } placeholder)
        {
            Guarded.AddSource(context, placeholder.Type, PlaceholderEmitter.Suffix, () => PlaceholderEmitter.Emit(placeholder));
        }
    }

    private static void EmitDistillation(SourceProductionContext context, DistillationSpec distillation)
    {
        foreach (var diagnostic in distillation.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
        if (distillation.Emit)
        {
            Guarded.AddSource(context, distillation.Student, ".Distill", () => DistillationEmitter.Emit(distillation));
        }
        else if (distillation.Placeholder is { } placeholder)
        {
            Guarded.AddSource(context, distillation.Student, ".Distill" + PlaceholderEmitter.Suffix, () => PlaceholderEmitter.Emit(placeholder));
        }
    }
}
