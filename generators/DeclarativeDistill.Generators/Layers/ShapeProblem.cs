using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>What is wrong with an item's shape, where in the string, with which descriptor: the message is complete.</summary>
internal sealed record ShapeProblem(DiagnosticDescriptor Descriptor, int Start, int Length, string Message);
