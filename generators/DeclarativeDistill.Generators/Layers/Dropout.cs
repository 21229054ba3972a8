using System.Globalization;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary><c>dropout(p)</c> at this point, while training.</summary>
internal sealed record DropoutSpec(double Probability, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "dropout(" + Literals.Format(Probability) + ")";

    public override LayerKind Kind => Dropout.Instance;
}

/// <summary>
/// <c>dropout(p)</c>: while training, each value is zeroed with probability p and the others scaled by 1 / (1 − p);
/// the identity in evaluation mode. Its module is <c>dropout1</c>, <c>dropout2</c>, ... (the class-level
/// <c>Dropout</c> is the one module <c>dropout</c>).
/// </summary>
internal sealed class Dropout : LayerKind<DropoutSpec>
{
    public static readonly Dropout Instance = new();

    public override int Order => 90;

    public override string Name => "dropout";

    public override string Usage => "dropout(p)";

    public override Signature Signature { get; } = new("dropout(0.25)", new[] { "p" }, new string[0]);

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var (value, start, size) = arguments.Find("p")!.Value;
        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double p) || !(p >= 0 && p < 1))
        {
            return new SyntaxProblem(start, size, $"dropout needs a probability in [0, 1), e.g. dropout(0.25); found '{ArchitectureGrammar.Escape(value)}'");
        }
        spec = new DropoutSpec(p, arguments.Start, arguments.Length);
        return null;
    }

    protected override LayerResult Analyse(DropoutSpec spec, LayerContext context)
    {
        string field = context.NextField("dropout");
        return LayerResult.Of(new Layer(spec, context.Input, context.Input, field, 0, 0,
            new Operation[] { new DropoutOperation(field, spec.Probability) }.ToEquatableArray()));
    }
}

/// <summary>A dropout module of its own.</summary>
internal sealed record DropoutOperation(string Field, double Probability) : Operation
{
    public override ModuleField Module =>
        new(Field, "global::TorchSharp.Modules.Dropout", $"global::TorchSharp.torch.nn.Dropout({Literals.Format(Probability)})");

    public override string Apply(string x) => $"{Field}.forward({x})";

    public override string Describe() => $"new {Runtime}.Dropout(\"{Field}\", {Literals.Format(Probability)})";
}
