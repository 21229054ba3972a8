using System;
using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;
using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// Shape inference over an architecture: walks the items left to right with the shape of one example, asking each
/// item's kind for its rule. The walk itself knows three things only: an image reaching a kind that reads vectors is
/// flattened first, the last item must give the classes, and what follows a layer (its activation and dropout) moves
/// behind a normalization directly after it.
/// </summary>
internal static class ShapeInference
{
    /// <summary>
    /// The analysed layers, or the first problem. A count that overflows 64 bits is reported with
    /// <see cref="DiagnosticDescriptors.NetworkTooLarge"/>, which names the whole list rather than one item.
    /// </summary>
    public static (EquatableArray<Layer> Layers, ShapeProblem? Problem) Analyse(ArchitectureGrammar.Items items, Activation activation, double dropout)
    {
        var specs = items.Layers;
        var layers = new List<Layer>(specs.Count + 1);
        var context = new LayerContext(activation, dropout);
        var shape = items.Input.Shape;
        if (shape.IsImage && shape.Size > int.MaxValue)
        {
            return (default, TooLarge(items.Input.Start, items.Input.Length,
                FormattableString.Invariant($"the input {shape} has {shape.Size:N0} features, more than a tensor row can hold")));
        }
        try
        {
            var carried = EquatableArray<Operation>.Empty; // what followed the layer before, for this one to take over
            for (int i = 0; i < specs.Count; i++)
            {
                var spec = specs[i];
                var kind = spec.Kind;
                bool last = i == specs.Count - 1;
                if (kind.ReadsVectors && shape.IsImage)
                {
                    var flatten = new FlattenSpec(Implicit: true, spec.Start, spec.Length);
                    var vector = TensorShape.Vector(shape.Size);
                    layers.Add(new Layer(flatten, shape, vector, null, 0, 0, new Operation[] { new FlattenOperation() }.ToEquatableArray()));
                    shape = vector;
                }

                if (shape.IsTokens && !kind.ReadsTokens)
                {
                    return (default, new ShapeProblem(DiagnosticDescriptors.SequenceMismatch, spec.Start, spec.Length,
                        $"{spec.Text} cannot read {shape.Describe()}: embed them first, e.g. tokens({shape.Vocabulary}, {shape.Length}), embed(64), ..."));
                }
                if (shape.IsSequence && !kind.ReadsSequences)
                {
                    return (default, new ShapeProblem(DiagnosticDescriptors.SequenceMismatch, spec.Start, spec.Length,
                        $"{spec.Text} cannot read {shape.Describe()}: read it out first with gap (the mean over the steps), gmp (the largest value) or first (the first step)"));
                }

                context.Input = shape;
                context.IsLast = last;
                context.Next = last ? null : specs[i + 1];
                var result = kind.Analyse(spec, context);
                if (result.Problem is { } problem)
                {
                    return (default, problem);
                }
                var layer = result.Layer!;
                if (layer.Output.Size > int.MaxValue)
                {
                    return (default, TooLarge(spec.Start, spec.Length,
                        FormattableString.Invariant($"{spec.Text} makes {layer.Output} = {layer.Output.Size:N0} features per example, more than a tensor row can hold")));
                }
                if (last && !kind.GivesClasses)
                {
                    return (default, new ShapeProblem(DiagnosticDescriptors.LastLayerNotDense, spec.Start, spec.Length,
                        $"the last item must be a fully connected layer whose width is the number of classes; found {spec.Text} (the output here is {layer.Output.Describe()})"));
                }

                var operations = layer.Operations.Concat(carried);
                carried = EquatableArray<Operation>.Empty;
                if (context.Next?.Kind.TakesActivation == true)
                {
                    carried = result.Then;
                }
                else
                {
                    operations = operations.Concat(result.Then);
                }
                layers.Add(layer with { Operations = operations.ToEquatableArray() });
                shape = layer.Output;
            }

            long parameters = 0, multiplyAdds = 0;
            foreach (var layer in layers)
            {
                parameters = checked(parameters + layer.Parameters);
                multiplyAdds = checked(multiplyAdds + layer.MultiplyAdds);
            }
        }
        catch (OverflowException)
        {
            return (default, new ShapeProblem(DiagnosticDescriptors.NetworkTooLarge, items.Input.Start, 0,
                "the network has more parameters or multiply-adds than a 64-bit count can hold"));
        }
        return (layers.ToEquatableArray(), null);
    }

    private static ShapeProblem TooLarge(int start, int length, string message) =>
        new(DiagnosticDescriptors.LayerTooLarge, start, length, message);
}
