using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Operations;

/// <summary>
/// The class-level <c>Dropout</c> after a hidden fully connected layer's activation: one module, <c>dropout</c>,
/// shared by every hidden layer (the network declares it once, after its layers).
/// </summary>
internal sealed record ClassDropoutOperation(double Probability) : Operation
{
    public override string Apply(string x) => $"{GeneratedMembers.ClassDropout}.forward({x})";

    public override string Describe() => $"new {Runtime}.Dropout(\"{GeneratedMembers.ClassDropout}\", {Literals.Format(Probability)})";
}
