namespace DeclarativeDistill.Generators;

/// <summary>Tracking names of the pipeline's steps; tests assert on them to prove incrementality.</summary>
public static class StepNames
{
    /// <summary>Every <c>[Teacher]</c> class, read by the attribute transform (arguments as written, nothing judged).</summary>
    public const string TeacherDeclarations = nameof(TeacherDeclarations);

    /// <summary>Every <c>[Teacher]</c> class, analysed (and joined with what the build read of its ONNX file, if any): its network's spec, or what is wrong with it.</summary>
    public const string TeacherAnalysis = nameof(TeacherAnalysis);

    /// <summary>Every <c>[Student]</c> class that is not also a teacher, read by the attribute transform.</summary>
    public const string StudentDeclarations = nameof(StudentDeclarations);

    /// <summary>Every <c>[Student]</c> class that is not also a teacher, analysed.</summary>
    public const string StudentAnalysis = nameof(StudentAnalysis);

    /// <summary>The valid networks of the compilation by name: what resolution looks shapes up in and infers teachers from.</summary>
    public const string NetworkIndex = nameof(NetworkIndex);

    /// <summary>Every <c>[Distill]</c> declaration, read locally.</summary>
    public const string DistillationRequests = nameof(DistillationRequests);

    /// <summary>Who learns from whom across the compilation (no temperatures or weights).</summary>
    public const string DistillationGraph = nameof(DistillationGraph);

    /// <summary>Distillations analysed (values checked, teachers resolved, sizes and cycles checked): ready to emit.</summary>
    public const string Distillations = nameof(Distillations);

    /// <summary>What is wrong with <c>[Hint]</c>s on classes without <c>[Distill]</c>.</summary>
    public const string HintsWithoutDistill = nameof(HintsWithoutDistill);

    /// <summary>What is wrong with method attributes (<c>[Dkd]</c>, <c>[Rkd]</c>...) on classes without <c>[Distill]</c>: one step per method.</summary>
    public const string MethodsWithoutDistill = nameof(MethodsWithoutDistill);

    /// <summary>Whether the assembly declares any valid network (and so needs the native-library initializer).</summary>
    public const string DeclaresNetworks = nameof(DeclaresNetworks);
}
