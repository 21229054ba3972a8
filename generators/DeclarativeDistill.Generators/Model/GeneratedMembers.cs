namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// The names of the members the generator adds, in one place: the member-conflict check (DD0025) and the
/// emitters read them from here, so a member cannot be emitted under a name the check does not know. Methods
/// (<c>Fit</c>, <c>Distill</c>, ...) are listed for the emitters only: an overload of one is legal.
/// Layer fields (<c>conv1</c>, <c>hidden2</c>, ...) come from analysis, one per layer with state.
/// </summary>
internal static class GeneratedMembers
{
    public const string InputSize = nameof(InputSize);
    public const string Fit = nameof(Fit);
    public const string Evaluate = nameof(Evaluate);
    public const string Predict = nameof(Predict);
    public const string OutputSize = nameof(OutputSize);
    public const string ParameterCount = nameof(ParameterCount);
    public const string Architecture = nameof(Architecture);
    public const string InputShape = nameof(InputShape);
    public const string MultiplyAdds = nameof(MultiplyAdds);
    public const string ExportOnnx = nameof(ExportOnnx);
    public const string Classify = nameof(Classify);
    public const string ClassifyBatch = nameof(ClassifyBatch);
    public const string Save = nameof(Save);
    public const string Load = nameof(Load);
    public const string LoadPyTorch = nameof(LoadPyTorch);
    public const string FeatureLayers = nameof(FeatureLayers);
    public const string Features = nameof(Features);
    public const string Description = nameof(Description);
    public const string InputNormalization = nameof(InputNormalization);
    public const string ClassNames = nameof(ClassNames);

    /// <summary>The field behind <see cref="InputNormalization"/>: the optional first step of <c>forward</c>.</summary>
    public const string InputNormalizationField = "inputNormalization";

    /// <summary>The field behind <see cref="ClassNames"/>.</summary>
    public const string ClassNamesField = "classNames";

    /// <summary>The last fully connected layer, whose width is the number of classes.</summary>
    public const string OutputLayer = "output";

    /// <summary>The module of the class-level <c>Dropout</c>, after every hidden fully connected layer.</summary>
    public const string ClassDropout = "dropout";

    public const string Temperature = nameof(Temperature);
    public const string Alpha = nameof(Alpha);
    public const string Beta = nameof(Beta);
    public const string DistillationLoss = nameof(DistillationLoss);
    public const string Distill = nameof(Distill);
    public const string Objective = nameof(Objective);
    public const string MeasureFidelity = nameof(MeasureFidelity);

    /// <summary>What every network gets, besides its layer fields, constructor and <c>forward</c>.</summary>
    public static readonly string[] Network = { InputSize, InputShape, OutputSize, ParameterCount, MultiplyAdds, Architecture, OutputLayer, ExportOnnx, Classify, ClassifyBatch, Save, Load, LoadPyTorch, FeatureLayers, Features, Description, InputNormalization, ClassNames, InputNormalizationField, ClassNamesField };

    /// <summary>What a student with <c>[Distill]</c> gets, besides the <c>Distill</c> method's overloads.</summary>
    public static readonly string[] Distillation = { Temperature, Alpha, Beta, DistillationLoss, Objective, MeasureFidelity };
}
