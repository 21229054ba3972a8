using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// What a kind's rule made of one item: the layer, and the operations that follow its output (<see cref="Then"/>:
/// the activation and the class's dropout after a convolution or a hidden fully connected layer), which a
/// normalization directly after it takes over; or the problem that stops the analysis.
/// </summary>
internal readonly struct LayerResult
{
    private LayerResult(Layer? layer, EquatableArray<Operation> then, ShapeProblem? problem)
    {
        Layer = layer;
        Then = then;
        Problem = problem;
    }

    public Layer? Layer { get; }

    public EquatableArray<Operation> Then { get; }

    public ShapeProblem? Problem { get; }

    public static LayerResult Of(Layer layer, params Operation[] then) => new(layer, then.ToEquatableArray(), null);

    public static implicit operator LayerResult(ShapeProblem problem) => new(null, EquatableArray<Operation>.Empty, problem);
}
