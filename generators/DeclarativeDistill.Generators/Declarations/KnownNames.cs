using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Declarations;

/// <summary>Metadata names of the runtime types the generator looks for.</summary>
internal static class KnownNames
{
    public const string TeacherAttribute = RuntimeNamespace + "." + nameof(RuntimeContract.TeacherAttribute);
    public const string StudentAttribute = RuntimeNamespace + "." + nameof(RuntimeContract.StudentAttribute);
    public const string DistillAttribute = RuntimeNamespace + "." + nameof(RuntimeContract.DistillAttribute);
    public const string HintAttribute = RuntimeNamespace + "." + nameof(RuntimeContract.HintAttribute);
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

    /// <summary>The application of one of the runtime's attributes (e.g. <see cref="StudentAttribute"/>) on <paramref name="type"/>.</summary>
    public static AttributeData? Find(INamedTypeSymbol type, string attributeMetadataName)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (IsRuntimeType(attribute.AttributeClass, attributeMetadataName))
            {
                return attribute;
            }
        }
        return null;
    }
}
