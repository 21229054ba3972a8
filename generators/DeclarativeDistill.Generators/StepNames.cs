namespace DeclarativeDistill.Generators;

/// <summary>Tracking names of the pipeline's steps; tests assert on them to prove incrementality.</summary>
public static class StepNames
{
    /// <summary>Every <c>[Teacher]</c> class, parsed.</summary>
    public const string Teachers = nameof(Teachers);

    /// <summary>Every <c>[Student]</c> class that is not also a teacher, parsed.</summary>
    public const string Students = nameof(Students);

    /// <summary>The valid teachers of the compilation, sorted: what inference looks in.</summary>
    public const string TeacherIndex = nameof(TeacherIndex);

    /// <summary>Every <c>[Distill]</c> declaration, parsed locally.</summary>
    public const string DistillationRequests = nameof(DistillationRequests);

    /// <summary>Distillations with their teachers resolved and checked.</summary>
    public const string Distillations = nameof(Distillations);

    /// <summary>Whether the assembly declares any valid network (and so needs the native-library initializer).</summary>
    public const string DeclaresNetworks = nameof(DeclaresNetworks);
}
