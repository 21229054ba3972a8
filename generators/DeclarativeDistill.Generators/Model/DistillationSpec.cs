namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// One <c>[Distill]</c> declaration as parsed locally: the student, the teachers it names and its constants.
/// The networks' shapes, teacher inference and the cross-checks come in resolution, from the network index.
/// <see cref="StudentInputSize"/> and <see cref="StudentOutputSize"/> are where the student's <c>Layers</c>
/// writes its first and last width: a size mismatch is reported there as well as on the teacher's side.
/// </summary>
internal sealed record DistillationRequest(
    TypeDeclaration Student,
    bool StudentDeclared,
    LocationInfo? StudentInputSize,
    LocationInfo? StudentOutputSize,
    EquatableArray<NamedTeacher> NamedTeachers,
    double Temperature,
    double Alpha,
    double Beta,
    bool BetaGiven,
    LocationInfo? AttributeLocation,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<HintRequest> Hints = default,
    bool CombinedHintTraining = false);

/// <summary>
/// A teacher named with <c>typeof</c> in <c>[Distill]</c>. <see cref="FullyQualifiedName"/> is null for a
/// placeholder (null, or a type the compiler could not resolve), which resolves to nothing.
/// <see cref="ReferencedShape"/> is the shape of a valid teacher from a referenced assembly, which the
/// compilation's network index does not hold.
/// </summary>
internal sealed record NamedTeacher(string DisplayName, string? FullyQualifiedName, LocationInfo? Location, NetworkSummary? ReferencedShape);

/// <summary>A teacher of a distillation after resolution; <see cref="Shape"/> is null when it is not a valid network.</summary>
internal sealed record TeacherReference(string DisplayName, NetworkSummary? Shape, LocationInfo? Location);

/// <summary>A distillation ready to emit, or the reasons it is not.</summary>
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
    bool CombinedHintTraining = false);

/// <summary>Who learns from whom: a student and the teachers it resolved to, for finding cycles.</summary>
internal sealed record DistillationEdge(string Student, string StudentName, EquatableArray<string> Teachers);
