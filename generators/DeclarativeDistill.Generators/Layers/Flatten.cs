using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// <c>flatten</c>: an image to a vector of C·H·W. <see cref="Implicit"/> when it was not written but stands
/// before a layer that reads vectors (a fully connected one) and gets an image.
/// </summary>
internal sealed record FlattenSpec(bool Implicit, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "flatten";

    public override LayerKind Kind => Flatten.Instance;
}

/// <summary><c>flatten</c>: the values of an image, channel by channel and row by row, as one vector. No state.</summary>
internal sealed class Flatten : LayerKind<FlattenSpec>
{
    public static readonly Flatten Instance = new();

    public override int Order => 80;

    public override string Name => "flatten";

    public override string Usage => "flatten";

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = new FlattenSpec(Implicit: false, arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(FlattenSpec spec, LayerContext context) =>
        Shapes.NeedsImage(spec, context.Input) is { } notAnImage
            ? notAnImage
            : Shapes.Stateless(spec, context.Input, TensorShape.Vector(context.Input.Size), new FlattenOperation());
}

/// <summary>An image batch [N, C, H, W] to rows [N, C·H·W].</summary>
internal sealed record FlattenOperation : Operation
{
    public override string Apply(string x) => $"{x}.flatten(1)";

    public override string Describe() => $"new {Runtime}.Flatten()";
}
