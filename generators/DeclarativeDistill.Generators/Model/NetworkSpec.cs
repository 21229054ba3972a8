namespace DeclarativeDistill.Generators.Model;

/// <summary>The nonlinearities the generator knows; values match the runtime's <c>Activation</c> enum.</summary>
internal enum ActivationKind
{
    ReLU = 0,
    Tanh = 1,
    GELU = 2,
    Sigmoid = 3,
}

/// <summary>The role a class plays, for documentation comments and messages.</summary>
internal enum NetworkRole
{
    Teacher,
    Student,
    TeacherAndStudent,
}

/// <summary>
/// A valid network declaration: everything the emitter needs to write the module, as plain data.
/// </summary>
/// <remarks>
/// Like every model of this generator it holds only strings, numbers, enums and equatable arrays:
/// never an <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Compilation</c> or <c>Location</c>, which would keep
/// old compilations alive and defeat the incremental cache.
/// </remarks>
internal sealed record NetworkSpec(
    TypeDeclaration Type,
    NetworkRole Role,
    EquatableArray<int> Layers,
    ActivationKind Activation,
    double Dropout)
{
    public int InputSize => Layers[0];

    public int OutputSize => Layers[Layers.Count - 1];

    /// <summary>Weights and biases of all layers. Parsing guarantees it fits in a long.</summary>
    public long ParameterCount => CountParameters(Layers);

    /// <summary><c>784-800-800-10</c>.</summary>
    public string Architecture => string.Join("-", Layers);

    /// <summary>What a distillation needs to know of this network.</summary>
    public NetworkSummary Summary() =>
        new(Type.Namespace, Type.FullyQualifiedName, Type.DisplayName, Role != NetworkRole.Student, InputSize, OutputSize, ParameterCount);

    public static long CountParameters(EquatableArray<int> layers)
    {
        long count = 0;
        for (int i = 1; i < layers.Count; i++)
        {
            count = checked(count + (long)layers[i - 1] * layers[i] + layers[i]);
        }
        return count;
    }
}

/// <summary>The outcome of parsing one network declaration: the spec when it is valid, and what was wrong.</summary>
internal sealed record NetworkResult(NetworkSpec? Network, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>What a distillation needs to know of a network: enough to check sizes and to name its type.</summary>
internal sealed record NetworkSummary(
    string Namespace, string FullyQualifiedName, string DisplayName, bool IsTeacher, int InputSize, int OutputSize, long ParameterCount);
