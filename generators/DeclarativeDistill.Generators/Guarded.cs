using System;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Emit;
using DeclarativeDistill.Generators.Model;
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

    public static NetworkResult FailedNetwork(GeneratorAttributeSyntaxContext context, Exception exception) =>
        new(null, new[] { Failure(context, exception) }.ToEquatableArray());

    public static DistillationRequest FailedDistillation(GeneratorAttributeSyntaxContext context, Exception exception) =>
        new(new TypeDeclaration("", context.TargetSymbol.Name, default, default), StudentDeclared: false, null, null, default,
            DistillationDefaults.Temperature, DistillationDefaults.Alpha, 1 - DistillationDefaults.Alpha, false,
            LocationInfo.From(context.TargetNode), new[] { Failure(context, exception) }.ToEquatableArray());

    public static EquatableArray<DiagnosticInfo> FailedHints(GeneratorAttributeSyntaxContext context, Exception exception) =>
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
