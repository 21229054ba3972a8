using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Finds distillations that feed back into themselves (A learns from B, which learns from A), which only
/// teacher assistants can form. It sees the edges of the whole compilation but none of their temperatures
/// or weights, so editing those does not make every distillation recompute.
/// </summary>
internal static class CycleCheck
{
    /// <summary>Who <paramref name="request"/>'s student learns from: the teachers it resolves to (nothing is reported here).</summary>
    public static DistillationEdge Edge(DistillationRequest request, NetworkIndex networks) =>
        new(request.Student.FullyQualifiedName, request.Student.DisplayName,
            DistillationAnalysis.Teachers(request, networks, new List<DiagnosticInfo>())
                .Where(t => t.Shape is not null)
                .Select(t => t.Shape!.FullyQualifiedName)
                .ToEquatableArray());

    /// <summary>Every distillation's edge, in the order of the students' names.</summary>
    public static EquatableArray<DistillationEdge> Graph(IEnumerable<DistillationRequest> requests, NetworkIndex networks) =>
        requests.Select(r => Edge(r, networks)).OrderBy(e => e.Student, System.StringComparer.Ordinal).ToEquatableArray();

    public static DistillationSpec Apply(DistillationSpec distillation, EquatableArray<DistillationEdge> edges)
    {
        var path = FindPathBack(distillation, edges);
        if (path is null)
        {
            return distillation;
        }
        var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.DistillationCycle, distillation.AttributeLocation,
            distillation.Student.DisplayName, string.Join(" ← ", path));
        return distillation with
        {
            Emit = false,
            Diagnostics = distillation.Diagnostics.Append(diagnostic).ToEquatableArray(),
        };
    }

    /// <summary>The chain student ← teacher ← ... ← student, or null when the student's teachers never lead back to it.</summary>
    private static List<string>? FindPathBack(DistillationSpec distillation, EquatableArray<DistillationEdge> edges)
    {
        var byStudent = new Dictionary<string, DistillationEdge>();
        foreach (var edge in edges)
        {
            byStudent[edge.Student] = edge;
        }
        string start = distillation.Student.FullyQualifiedName;
        var names = edges.ToDictionary(e => e.Student, e => e.StudentName);
        var cameFrom = new Dictionary<string, string>();
        var queue = new Queue<string>();
        foreach (var teacher in distillation.Teachers.Select(t => t.FullyQualifiedName).Where(t => t != start))
        {
            if (!cameFrom.ContainsKey(teacher))
            {
                cameFrom[teacher] = start;
                queue.Enqueue(teacher);
            }
        }
        while (queue.Count > 0)
        {
            string current = queue.Dequeue();
            if (!byStudent.TryGetValue(current, out var edge))
            {
                continue; // a teacher that is not distilled from anything: the chain ends here
            }
            foreach (string next in edge.Teachers)
            {
                if (next == start)
                {
                    var path = new List<string> { names[start] };
                    for (string node = current; node != start; node = cameFrom[node])
                    {
                        path.Add(names.TryGetValue(node, out var name) ? name : node);
                    }
                    path.Add(names[start]);
                    return path;
                }
                if (!cameFrom.ContainsKey(next))
                {
                    cameFrom[next] = current;
                    queue.Enqueue(next);
                }
            }
        }
        return null;
    }
}
