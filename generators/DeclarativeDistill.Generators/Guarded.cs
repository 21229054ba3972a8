using System;
using System.Linq;
using DeclarativeDistill.Generators.Analysis;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Emit;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.RuntimeContract;
using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators;

/// <summary>
/// Keeps a bug in one declaration's handling from costing the user every generated file: an exception
/// escaping a generator becomes warning CS8785 and drops all output. Here it becomes DD9999 on that
/// declaration, and the rest is generated as usual.
/// </summary>
internal static class Guarded
{
    public static T Run<T>(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken,
        Func<GeneratorAttributeSyntaxContext, System.Threading.CancellationToken, T> parse, Func<GeneratorAttributeSyntaxContext, Exception, T> failed)
    {
        try
        {
            return parse(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return failed(context, e);
        }
    }

    public static NetworkDeclaration FailedDeclaration(GeneratorAttributeSyntaxContext context, Exception exception) =>
        new()
        {
            Type = new TypeDeclaration("", context.TargetSymbol.Name, default, default),
            Source = NetworkSource.Generated,
            Diagnostics = new[] { Failure(context, exception) }.ToEquatableArray(),
        };

    public static DistillationRequest FailedDistillation(GeneratorAttributeSyntaxContext context, Exception exception) =>
        new()
        {
            Student = new TypeDeclaration("", context.TargetSymbol.Name, default, default),
            Attribute = new AttributeCapture(LocationInfo.From(context.TargetNode), EquatableArray<ArgumentCapture>.Empty),
            NamedTeachers = new[] { new NamedTeacher("?", null, null, null) }.ToEquatableArray(), // resolves to nothing: nothing is emitted
            MessageName = context.TargetSymbol.Name,
            StudentDeclared = true,
            Diagnostics = new[] { Failure(context, exception) }.ToEquatableArray(),
        };

    /// <summary>The analysis of a network (with what the build read of its ONNX file, if any), or DD9999 on its declaration if it throws.</summary>
    public static NetworkResult Analyse(NetworkDeclaration declaration, OnnxBuild onnx)
    {
        NetworkResult result;
        try
        {
            result = OnnxAnalysis.JoinSignature(NetworkAnalysis.Analyse(declaration), onnx);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, (declaration.Teacher ?? declaration.Student)?.Location,
                declaration.Type.DisplayName, Describe(e));
            result = new NetworkResult(null, declaration.Diagnostics.Append(failure).ToEquatableArray());
        }
        // An invalid network the analysis gave no placeholder (its ONNX file unread, or a crash): one that knows no shapes.
        return result is { Network: null, Placeholder: null }
            ? result with { Placeholder = Placeholders.ForNetwork(declaration, result.Diagnostics) }
            : result;
    }

    /// <summary>The analysis of a distillation (checked for cycles in <paramref name="graph"/>), or DD9999 on its <c>[Distill]</c> if it throws.</summary>
    public static DistillationSpec Analyse(DistillationRequest request, NetworkIndex networks, EquatableArray<DistillationEdge> graph)
    {
        DistillationSpec distillation;
        try
        {
            distillation = CycleCheck.Apply(DistillationAnalysis.Analyse(request, networks), graph);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, request.AttributeLocation, request.Student.DisplayName, Describe(e));
            distillation = new DistillationSpec(request.Student, EquatableArray<NetworkSummary>.Empty, DistillAttribute.DefaultTemperature, DistillAttribute.DefaultAlpha,
                1 - DistillAttribute.DefaultAlpha, false, false, request.AttributeLocation, request.Diagnostics.Append(failure).ToEquatableArray());
        }
        return distillation.Emit ? distillation : distillation with { Placeholder = Placeholders.ForDistillation(request, distillation) };
    }

    public static EquatableArray<DiagnosticInfo> FailedCheck(GeneratorAttributeSyntaxContext context, Exception exception) =>
        new[] { Failure(context, exception) }.ToEquatableArray();

    public static void AddSource(SourceProductionContext context, TypeDeclaration type, string suffix, Func<string> emit)
    {
        string source;
        try
        {
            source = emit();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, type.DisplayName, Describe(e)));
            return;
        }
        context.AddSource(TypeScaffold.HintName(type, suffix), source);
    }

    private static DiagnosticInfo Failure(GeneratorAttributeSyntaxContext context, Exception exception) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(context.Attributes.Length > 0
                ? context.Attributes[0].ApplicationSyntaxReference?.GetSyntax()
                : context.TargetNode),
            context.TargetSymbol.ToDisplayString(), Describe(exception));

    private static string Describe(Exception exception) => exception.GetType().Name + ": " + exception.Message;
}
