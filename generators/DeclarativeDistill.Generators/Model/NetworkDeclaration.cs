namespace DeclarativeDistill.Generators.Model;

/// <summary>Where a network comes from: which front end reads it.</summary>
internal enum NetworkSource
{
    /// <summary>Declared by its <c>Layers</c>: the generator writes the module.</summary>
    Generated,

    /// <summary>A TorchSharp module written by hand, declared by its <c>Input</c> and <c>Outputs</c>.</summary>
    HandWritten,

    /// <summary>A classifier in an ONNX file (<c>[Teacher(Onnx = ...)]</c>), run by ONNX Runtime.</summary>
    Onnx,
}

/// <summary>The role a class plays, for documentation comments and messages.</summary>
internal enum NetworkRole
{
    Teacher,
    Student,
    TeacherAndStudent,
}

/// <summary>
/// What a <c>[Teacher]</c> or <c>[Student]</c> class declares, as the attribute transform reads it: the attributes'
/// arguments as written (texts, numbers and their places), the members the class already has, and what is wrong
/// with the class itself. Nothing is judged yet beyond what needs the compiler's symbols: the analysis step
/// (<c>NetworkAnalysis</c>) does the rest, and the pipeline caches it while this record is unchanged.
/// </summary>
internal sealed record NetworkDeclaration
{
    public required TypeDeclaration Type { get; init; }

    /// <summary>Which front end reads it: decided by the arguments written (<c>Onnx</c>, <c>Input</c>/<c>Outputs</c>, or neither).</summary>
    public required NetworkSource Source { get; init; }

    /// <summary>The <c>[Teacher]</c> attribute, if the class has one.</summary>
    public AttributeCapture? Teacher { get; init; }

    /// <summary>The <c>[Student]</c> attribute, if the class has one.</summary>
    public AttributeCapture? Student { get; init; }

    /// <summary>The class as messages name it; only when it declares members (a conflict is possible).</summary>
    public string? MessageName { get; init; }

    /// <summary>The members the user declared, for the member-conflict check.</summary>
    public EquatableArray<DeclaredMember> Members { get; init; }

    /// <summary>Whether the class derives from TorchSharp's <c>Module&lt;Tensor, Tensor&gt;</c> (a hand-written teacher must).</summary>
    public bool IsModule { get; init; }

    /// <summary>What is wrong with the class or its arguments' types: reported as they are.</summary>
    public EquatableArray<DiagnosticInfo> Diagnostics { get; init; }

    /// <summary>The attribute that defines the network: the teacher's when there is one.</summary>
    public AttributeCapture Primary => Teacher ?? Student!;

    public NetworkRole Role => Teacher is not null && Student is not null ? NetworkRole.TeacherAndStudent
        : Teacher is not null ? NetworkRole.Teacher
        : NetworkRole.Student;
}
