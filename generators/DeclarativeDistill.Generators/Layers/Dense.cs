using System.Collections.Generic;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>N</c>: a fully connected layer of N units (an image before it is flattened).</summary>
internal sealed record DenseSpec(long Units, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => Literal(Units);

    public override LayerKind Kind => Dense.Instance;
}

/// <summary>
/// A fully connected layer: in × N weights and N biases. The last one is <c>output</c> and gives the logits; the others
/// are <c>hidden1</c>, <c>hidden2</c>, ..., each followed by the network's activation and its class-level dropout.
/// </summary>
internal sealed class Dense : LayerKind<DenseSpec>
{
    public static readonly Dense Instance = new();

    public override int Order => 0;

    public override string? Name => null;

    public override string Usage => "a width such as 128";

    public override bool ReadsVectors => true;

    public override bool GivesClasses => true;

    /// <summary>Never called: the grammar reads a width itself.</summary>
    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec) =>
        throw new System.InvalidOperationException("A fully connected layer is written as its width, not by name.");

    protected override LayerResult Analyse(DenseSpec spec, LayerContext context)
    {
        var input = context.Input;
        long weights = checked(input.Size * spec.Units);
        string field = context.IsLast ? GeneratedMembers.OutputLayer : context.NextField("hidden");
        var layer = new Layer(spec, input, TensorShape.Vector(spec.Units), field, checked(weights + spec.Units), weights,
            new Operation[] { new LinearOperation(field, input.Size, spec.Units) }.ToEquatableArray());
        if (context.IsLast)
        {
            return LayerResult.Of(layer);
        }
        var then = new List<Operation> { new ActivationOperation(context.Activation) };
        if (context.Dropout > 0)
        {
            then.Add(new ClassDropoutOperation(context.Dropout));
        }
        return LayerResult.Of(layer, then.ToArray());
    }
}

/// <summary>A fully connected layer's module: <c>x · weightᵀ + bias</c>.</summary>
internal sealed record LinearOperation(string Field, long Inputs, long Outputs) : Operation
{
    public override ModuleField Module =>
        new(Field, "global::TorchSharp.Modules.Linear", $"global::TorchSharp.torch.nn.Linear({Inputs}, {Outputs})");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() => $"new {Runtime}.Linear(\"{Field}\", {Inputs}, {Outputs})";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
