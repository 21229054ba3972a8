namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// One <c>[Distill]</c> declaration as the attribute transform reads it: the student, the teachers it names (with what
/// the compiler says of each), the attribute's arguments as written, and the student's hints and members. The
/// networks' shapes, teacher inference, the value checks and the cross-checks come in the analysis step, from the
/// network index. <see cref="StudentInputSize"/> and <see cref="StudentOutputSize"/> are where the student's
/// <c>Layers</c> writes its first and last width: a size mismatch is reported there as well as on the teacher's side.
/// </summary>
internal sealed record DistillationRequest
{
    public required TypeDeclaration Student { get; init; }

    /// <summary>Whether the class has <c>[Student]</c> (DD0030 otherwise).</summary>
    public bool StudentDeclared { get; init; }

    /// <summary>Whether a generated partial declaration can extend the class (it is a partial, non-generic plain class).</summary>
    public bool Extensible { get; init; }

    public LocationInfo? StudentInputSize { get; init; }

    public LocationInfo? StudentOutputSize { get; init; }

    /// <summary>The teachers named with <c>typeof</c>, in order; empty to infer the teacher.</summary>
    public EquatableArray<NamedTeacher> NamedTeachers { get; init; }

    /// <summary>The <c>[Distill]</c> attribute: Temperature, Alpha, Beta and HintTraining as written.</summary>
    public required AttributeCapture Attribute { get; init; }

    /// <summary>The student's <c>[Hint]</c>s, in source order.</summary>
    public EquatableArray<HintRequest> Hints { get; init; }

    /// <summary>The student's method attributes (<c>[Dkd]</c>, <c>[AttentionTransfer]</c>...), in source order.</summary>
    public EquatableArray<MethodRequest> Methods { get; init; }

    /// <summary>The members the user declared in the student, for the member-conflict check.</summary>
    public EquatableArray<DeclaredMember> Members { get; init; }

    /// <summary>The student as messages name it.</summary>
    public required string MessageName { get; init; }

    /// <summary>What the transform found wrong (argument types, hints without layer names).</summary>
    public EquatableArray<DiagnosticInfo> Diagnostics { get; init; }

    public LocationInfo? AttributeLocation => Attribute.Location;
}

/// <summary>
/// A teacher named with <c>typeof</c> in <c>[Distill]</c>, with what the compiler says of it. <see cref="FullyQualifiedName"/>
/// is null for a placeholder (null, or a type the compiler could not resolve), which resolves to nothing.
/// <see cref="ReferencedShape"/> is the shape of a valid teacher from a referenced assembly, which the compilation's
/// network index does not hold.
/// </summary>
internal sealed record NamedTeacher(string DisplayName, string? FullyQualifiedName, LocationInfo? Location, NetworkSummary? ReferencedShape)
{
    /// <summary>What is wrong with naming it, if anything: it is null, the student itself, named twice, or not a [Teacher].</summary>
    public TeacherProblem Problem { get; init; }

    /// <summary>The type as messages name it, when there is a <see cref="Problem"/> to report.</summary>
    public string? MessageName { get; init; }
}

/// <summary>Why a named teacher cannot teach.</summary>
internal enum TeacherProblem
{
    None,
    Null,
    Self,
    Duplicate,
    NotATeacher,
}

/// <summary>A teacher of a distillation after resolution; <see cref="Shape"/> is null when it is not a valid network.</summary>
internal sealed record TeacherReference(string DisplayName, NetworkSummary? Shape, LocationInfo? Location);

/// <summary>A distillation ready to emit, or the reasons it is not and what stands in for its members.</summary>
internal sealed record DistillationSpec(
    TypeDeclaration Student,
    EquatableArray<NetworkSummary> Teachers,
    double Temperature,
    double Alpha,
    double Beta,
    bool BetaGiven,
    bool Emit,
    LocationInfo? AttributeLocation,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<ResolvedHint> Hints = default,
    bool CombinedHintTraining = false,
    EquatableArray<ResolvedMethod> Methods = default,
    DistillationPlaceholder? Placeholder = null);

/// <summary>Who learns from whom: a student and the teachers it resolved to, for finding cycles.</summary>
internal sealed record DistillationEdge(string Student, string StudentName, EquatableArray<string> Teachers);
