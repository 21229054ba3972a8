namespace DeclarativeDistill.Generators.Diagnostics;

/// <summary>
/// The IDs of DeclarativeDistill's diagnostics, once: the descriptors use them, and the code-fix assembly
/// compiles this file too (it cannot reference the generator), so a fix can never name a stale ID.
/// </summary>
internal static class DiagnosticIds
{
    public const string MalformedLayers = "DD0001";
    public const string TooFewLayers = "DD0002";
    public const string NetworkTooLarge = "DD0003";
    public const string InvalidDropout = "DD0004";
    public const string UnknownActivation = "DD0005";
    public const string ConflictingArchitecture = "DD0006";
    public const string WrongArgumentType = "DD0007";
    public const string InvalidTemperature = "DD0010";
    public const string InvalidAlpha = "DD0011";
    public const string InvalidBeta = "DD0012";
    public const string NothingToLearn = "DD0013";
    public const string NotPartial = "DD0020";
    public const string GenericClass = "DD0021";
    public const string ContainingTypeNotPartial = "DD0022";
    public const string HasBaseClass = "DD0023";
    public const string NotAPlainClass = "DD0024";
    public const string MemberConflict = "DD0025";
    public const string DistillWithoutStudent = "DD0030";
    public const string NotATeacher = "DD0031";
    public const string NoTeacherFound = "DD0032";
    public const string AmbiguousTeacher = "DD0033";
    public const string DuplicateTeacher = "DD0034";
    public const string DistillationCycle = "DD0035";
    public const string SelfTeacher = "DD0036";
    public const string OutputSizeMismatch = "DD0040";
    public const string InputSizeMismatch = "DD0041";
    public const string EnsembleSizeMismatch = "DD0042";
    public const string LayerDoesNotFit = "DD0050";
    public const string ImageLayerOnVector = "DD0051";
    public const string LastLayerNotDense = "DD0052";
    public const string LayerTooLarge = "DD0053";
    public const string HandWrittenDeclaration = "DD0054";
    public const string HandWrittenNotAModule = "DD0055";
    public const string OnnxModelUnreadable = "DD0056";
    public const string HintWithoutDistill = "DD0057";
    public const string HintIncomplete = "DD0058";
    public const string InvalidHintWeight = "DD0059";
    public const string LayerNotFound = "DD0060";
    public const string LayerTeacherNotInDistillation = "DD0061";
    public const string LayerTeacherAmbiguous = "DD0062";
    public const string TeacherWithoutLayers = "DD0063";
    public const string HintMapTooSmall = "DD0064";
    public const string DuplicateHint = "DD0065";
    public const string MethodWithoutDistill = "DD0066";
    public const string MethodIncomplete = "DD0067";
    public const string InvalidMethodConstant = "DD0068";
    public const string MethodWeighsNothing = "DD0069";
    public const string MethodShapesIncompatible = "DD0070";
    public const string DuplicateMethod = "DD0071";
    public const string SequenceMismatch = "DD0072";
    public const string SequenceHintMismatch = "DD0073";
    public const string StudentLargerThanTeacher = "DD1001";
    public const string NoSoftLoss = "DD1002";
    public const string UnusualTemperature = "DD1003";
    public const string DropoutWithoutHiddenLayers = "DD1004";
    public const string HintTrainingWithoutHints = "DD1005";
    public const string InternalError = "DD9999";

    /// <summary>The diagnostic property that carries a code fix's data (candidate teachers, layer names), separated by ';'.</summary>
    public const string FixDataProperty = "DeclarativeDistill.FixData";
}
