namespace DeclarativeDistill.Operations;

/// <summary>
/// Where a named layer's output is (what the next layer receives): the names hints and <c>Features</c> read. It
/// computes nothing.
/// </summary>
/// <param name="Layer">The layer's name: <c>conv1</c>, <c>bn2</c>, <c>res3</c>, <c>hidden1</c>, <c>output</c>.</param>
/// <param name="Shape">One example's shape there: <c>16x14x14</c>, <c>128</c>.</param>
public sealed record Tap(string Layer, string Shape) : Operation
{
    internal override string Export(OnnxGraph graph, string x) => x;
}
