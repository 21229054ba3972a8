using System;
using System.Collections.Generic;
using System.Linq;

namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// The valid networks of the compilation, teachers and students, by fully qualified name: what resolution
/// looks up a distillation's student and teachers in, and infers teachers from. Equal when the summaries
/// are equal, so an edit that changes no network's shape leaves every distillation cached.
/// </summary>
internal sealed class NetworkIndex : IEquatable<NetworkIndex>
{
    private readonly EquatableArray<NetworkSummary> networks;
    private readonly Dictionary<string, NetworkSummary> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NetworkSummary>> teachersByNamespace = new(StringComparer.Ordinal);

    private NetworkIndex(EquatableArray<NetworkSummary> networks)
    {
        this.networks = networks;
        foreach (var network in networks)
        {
            byName[network.FullyQualifiedName] = network;
            if (network.IsTeacher)
            {
                if (!teachersByNamespace.TryGetValue(network.Namespace, out var teachers))
                {
                    teachersByNamespace[network.Namespace] = teachers = new List<NetworkSummary>();
                }
                teachers.Add(network);
            }
        }
    }

    /// <summary>The networks sorted by name (a class with both attributes comes once, from the teacher pipeline).</summary>
    public static NetworkIndex Create(IEnumerable<NetworkSummary?> networks) =>
        new(networks.Where(n => n is not null).Select(n => n!).OrderBy(n => n.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray());

    /// <summary>Whether the compilation declares no valid network.</summary>
    public bool IsEmpty => networks.IsEmpty;

    /// <summary>The valid teachers, sorted by name.</summary>
    public IEnumerable<NetworkSummary> Teachers => networks.Where(n => n.IsTeacher);

    /// <summary>The valid teachers of the namespace <paramref name="name"/> (empty for the global namespace's name ""), sorted by name.</summary>
    public IReadOnlyList<NetworkSummary> TeachersOf(string name) =>
        teachersByNamespace.TryGetValue(name, out var teachers) ? teachers : Array.Empty<NetworkSummary>();

    /// <summary>The valid network called <paramref name="fullyQualifiedName"/>, or null.</summary>
    public NetworkSummary? Find(string? fullyQualifiedName) =>
        fullyQualifiedName is not null && byName.TryGetValue(fullyQualifiedName, out var network) ? network : null;

    public bool Equals(NetworkIndex? other) => other is not null && networks.Equals(other.networks);

    public override bool Equals(object? obj) => Equals(obj as NetworkIndex);

    public override int GetHashCode() => networks.GetHashCode();
}
