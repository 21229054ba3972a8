namespace DeclarativeDistill.Generators.Model;

/// <summary>What a member the user declared is, as far as a collision with generated members goes.</summary>
internal enum MemberKind
{
    /// <summary>A method (other than <c>forward</c>): an overload of a generated method is legal.</summary>
    Method,

    /// <summary>A method called <c>forward</c>, which a generated network defines.</summary>
    Forward,

    /// <summary>An instance constructor without parameters, which a generated network defines.</summary>
    ParameterlessConstructor,

    /// <summary>A field, property, event or nested type: it collides with a generated member of its name.</summary>
    Other,
}

/// <summary>A member the user declared in an annotated class.</summary>
internal sealed record DeclaredMember(string Name, MemberKind Kind);
