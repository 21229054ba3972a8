using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace DeclarativeDistill.Generators.Model;

/// <summary>Turns names into C# source text.</summary>
internal static class Identifiers
{
    /// <summary><c>class</c> becomes <c>@class</c>; other names are unchanged.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>Escapes each part of a dotted name.</summary>
    public static string EscapeDotted(string name) => string.Join(".", name.Split('.').Select(Escape));

    /// <summary><c>MnistTeacher</c> becomes <c>mnistTeacher</c>, escaped if that is a keyword.</summary>
    public static string CamelCase(string name) =>
        Escape(name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1));
}
