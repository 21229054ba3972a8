using System.Collections.Generic;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Members of the user's class that would collide with generated ones: with <c>network</c>, a parameterless
/// constructor or a method <c>forward</c>; and any non-method member named like a generated one (constants, layers).
/// Methods such as <c>Fit</c> with other parameters are legal overloads and are not reported.
/// </summary>
internal static class MemberConflicts
{
    public static void Check(EquatableArray<DeclaredMember> members, string? className, bool network, ICollection<string> generatedNames,
        LocationInfo? where, List<DiagnosticInfo> diagnostics)
    {
        foreach (var member in members)
        {
            string? conflict = member.Kind switch
            {
                MemberKind.ParameterlessConstructor when network => "a parameterless constructor",
                MemberKind.Forward when network => "a method 'forward'",
                MemberKind.Method or MemberKind.ParameterlessConstructor or MemberKind.Forward => null,
                _ when generatedNames.Contains(member.Name) => $"a member '{member.Name}'",
                _ => null,
            };
            if (conflict is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberConflict, where, className ?? "", conflict));
            }
        }
    }
}
