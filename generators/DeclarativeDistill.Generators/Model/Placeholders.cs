namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// What stands in for a network whose declaration has errors: the generated members under their real signatures, so
/// that the user's code that uses them compiles and the build shows the DD errors alone, not a cascade of CS0117 and
/// CS1061 beneath them. The constants hold what the declaration determines (0 or "" otherwise); every method, property
/// and constructor throws. The build fails on the DD errors, so none of it ever runs.
/// </summary>
internal sealed record NetworkPlaceholder
{
    public required TypeDeclaration Type { get; init; }

    /// <summary>Which members stand in: a generated network's, a hand-written module's or an ONNX teacher's.</summary>
    public required NetworkSource Source { get; init; }

    /// <summary>One example's shape, when the declaration gives it.</summary>
    public TensorShape? Input { get; init; }

    /// <summary>The number of classes, when the declaration gives it; 0 otherwise.</summary>
    public int OutputSize { get; init; }

    /// <summary>
    /// Whether the placeholder declares the base class (<c>Module&lt;Tensor, Tensor&gt;</c>, or <c>OnnxTeacher</c>) and what
    /// comes with it: the constructors, <c>forward</c> and <c>IGeneratedNetwork&lt;T&gt;</c>. Not when the class has a base of
    /// its own, a parameterless constructor or a <c>forward</c> (each a DD error of its own), which would collide.
    /// </summary>
    public bool DeclaresModule { get; init; }

    /// <summary>Names of members the user declared (other than methods): the placeholder leaves them out (DD0025 says why).</summary>
    public EquatableArray<string> Omitted { get; init; }

    /// <summary>The IDs of the errors, sorted, for the message the members throw.</summary>
    public EquatableArray<string> ErrorIds { get; init; }
}

/// <summary>
/// What stands in for the distillation members of a student whose <c>[Distill]</c> cannot be generated (its own errors,
/// or an invalid student or teacher): the constants as declared, and <c>Distill</c> and <c>MeasureFidelity</c> typed by
/// the teachers that could be named. A teacher whose type is unknown (unresolved, or inferred from an invalid network)
/// becomes a type parameter, so that any call with that many teachers compiles.
/// </summary>
internal sealed record DistillationPlaceholder
{
    public required TypeDeclaration Student { get; init; }

    /// <summary>Each teacher's fully qualified type, in order; null where it is unknown.</summary>
    public required EquatableArray<TeacherSlot> Teachers { get; init; }

    public double Temperature { get; init; }

    public double Alpha { get; init; }

    public double Beta { get; init; }

    /// <summary>Whether [Distill] sets Beta; otherwise it is <c>1 - Alpha</c>, as in the generated distillation.</summary>
    public bool BetaGiven { get; init; }

    /// <summary>Names of members the user declared (other than methods): the placeholder leaves them out (DD0025 says why).</summary>
    public EquatableArray<string> Omitted { get; init; }

    /// <summary>The IDs of the distillation's errors, sorted; empty when the errors are in the student's or a teacher's declaration.</summary>
    public EquatableArray<string> ErrorIds { get; init; }
}

/// <summary>A teacher parameter of a placeholder <c>Distill</c>: its type (null when unknown) and the name it would have.</summary>
internal sealed record TeacherSlot(string? FullyQualifiedName, string DisplayName);
