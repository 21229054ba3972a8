using System.Linq;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// Where an annotated class lives: its namespace (empty for the global namespace), its name, and the
/// declarations of the types it is nested in, outermost first (e.g. <c>partial class Outer</c>).
/// </summary>
internal sealed record TypeDeclaration(string Namespace, string Name, EquatableArray<string> ContainingTypes, EquatableArray<string> ContainingTypeNames)
{
    /// <summary><c>global::Ns.Outer.Name</c>: unambiguous in generated code.</summary>
    public string FullyQualifiedName =>
        "global::" + (Namespace.Length == 0 ? "" : Identifiers.EscapeDotted(Namespace) + ".")
        + string.Concat(ContainingTypeNames.Select(n => Identifiers.Escape(n) + ".")) + Identifiers.Escape(Name);

    /// <summary><c>Name</c> as it may be written in source.</summary>
    public string Identifier => Identifiers.Escape(Name);

    /// <summary><c>Ns.Outer.Name</c>, for messages and hint names.</summary>
    public string DisplayName =>
        (Namespace.Length == 0 ? "" : Namespace + ".") + string.Concat(ContainingTypeNames.Select(n => n + ".")) + Name;
}
