namespace DeclarativeDistill.Generators.Grammar;

/// <summary>A problem of the grammar at <see cref="Start"/> (0-based, in the string) spanning <see cref="Length"/> characters.</summary>
internal sealed record SyntaxProblem(int Start, int Length, string Message);
