namespace DeclarativeDistill.Operations;

/// <summary>Dropout with probability <paramref name="Probability"/> while training; the identity in evaluation mode (and in ONNX).</summary>
/// <param name="Module">Its module: <c>dropout1</c>, or <c>dropout</c> for the class-level dropout shared by the hidden layers.</param>
/// <param name="Probability">The probability of zeroing a value, in [0, 1).</param>
public sealed record Dropout(string Module, double Probability) : Operation
{
    internal override string Export(OnnxGraph graph, string x) => x;
}
