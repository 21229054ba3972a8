namespace DeclarativeDistill.Generators.Parsing;

/// <summary>Metadata names of the runtime types the generator looks for.</summary>
internal static class KnownNames
{
    public const string TeacherAttribute = "DeclarativeDistill.TeacherAttribute";
    public const string StudentAttribute = "DeclarativeDistill.StudentAttribute";
    public const string DistillAttribute = "DeclarativeDistill.DistillAttribute";
    public const string TorchModule = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>";
}
