namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// One <c>[Distill]</c> declaration as parsed locally (the student and the teachers it names);
/// teacher inference and cross-checks happen in resolution.
/// </summary>
internal sealed record DistillationRequest(
    TypeDeclaration Student,
    TeacherSummary? StudentShape,
    EquatableArray<TeacherReference> NamedTeachers,
    double Temperature,
    double Alpha,
    double Beta,
    bool BetaGiven,
    LocationInfo? AttributeLocation,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A teacher named with <c>typeof</c> in <c>[Distill]</c>; <see cref="Shape"/> is null when it is not a valid teacher.</summary>
internal sealed record TeacherReference(string DisplayName, TeacherSummary? Shape, LocationInfo? Location);

/// <summary>A distillation ready to emit, or the reasons it is not.</summary>
internal sealed record DistillationSpec(
    TypeDeclaration Student,
    EquatableArray<TeacherSummary> Teachers,
    double Temperature,
    double Alpha,
    double Beta,
    bool BetaGiven,
    bool Emit,
    LocationInfo? AttributeLocation,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Who learns from whom: a student and the teachers it resolved to, for finding cycles.</summary>
internal sealed record DistillationEdge(string Student, string StudentName, EquatableArray<string> Teachers);
