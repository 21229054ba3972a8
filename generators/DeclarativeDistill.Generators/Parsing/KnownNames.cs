using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Parsing;

/// <summary>Metadata names of the runtime types the generator looks for.</summary>
internal static class KnownNames
{
    public const string TeacherAttribute = "DeclarativeDistill.TeacherAttribute";
    public const string StudentAttribute = "DeclarativeDistill.StudentAttribute";
    public const string DistillAttribute = "DeclarativeDistill.DistillAttribute";
    public const string HintAttribute = "DeclarativeDistill.HintAttribute";
    public const string TorchModule = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>";

    private const string RuntimeNamespace = "DeclarativeDistill";

    /// <summary>
    /// Whether <paramref name="type"/> is the top-level runtime type <paramref name="metadataName"/> (one of the
    /// constants above in the runtime's namespace). Compares names without building display strings: this
    /// runs for every attribute of every declaration whenever the compilation changes.
    /// </summary>
    public static bool IsRuntimeType(INamedTypeSymbol? type, string metadataName) =>
        type is { ContainingType: null, ContainingNamespace: { Name: RuntimeNamespace, ContainingNamespace.IsGlobalNamespace: true } }
        && metadataName.Length == RuntimeNamespace.Length + 1 + type.MetadataName.Length
        && metadataName.EndsWith(type.MetadataName, System.StringComparison.Ordinal)
        && metadataName.StartsWith(RuntimeNamespace + ".", System.StringComparison.Ordinal);
}
