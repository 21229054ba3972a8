using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>What several kinds' rules share.</summary>
internal static class Shapes
{
    /// <summary>DD0051 when <paramref name="input"/> is not an image; null when it is.</summary>
    public static ShapeProblem? NeedsImage(LayerSpec spec, TensorShape input) =>
        input.IsImage
            ? null
            : new ShapeProblem(DiagnosticDescriptors.ImageLayerOnVector, spec.Start, spec.Length,
                $"{spec.Text} needs an image (channels x height x width) but the input here is {input.Describe()}");

    /// <summary>DD0072 when <paramref name="input"/> is not a sequence (steps × features); null when it is.</summary>
    public static ShapeProblem? NeedsSequence(LayerSpec spec, TensorShape input) =>
        input.IsSequence
            ? null
            : new ShapeProblem(DiagnosticDescriptors.SequenceMismatch, spec.Start, spec.Length,
                $"{spec.Text} needs a sequence (embed token ids first) but the input here is {input.Describe()}");

    /// <summary>A layer without state: no field, parameters or multiply-adds.</summary>
    public static LayerResult Stateless(LayerSpec spec, TensorShape input, TensorShape output, Operation operation) =>
        LayerResult.Of(new Layer(spec, input, output, null, 0, 0, new[] { operation }.ToEquatableArray()));
}
