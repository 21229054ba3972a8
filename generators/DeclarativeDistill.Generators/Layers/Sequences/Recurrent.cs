using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;

namespace DeclarativeDistill.Generators.Layers;

/// <summary>The cell of a recurrent layer.</summary>
internal enum RecurrentCell
{
    /// <summary>Long short-term memory: four gates.</summary>
    Lstm,

    /// <summary>Gated recurrent unit: three gates.</summary>
    Gru,
}

/// <summary><c>lstm(H)</c>, <c>gru(H)</c>, <c>bilstm(H)</c>, <c>bigru(H)</c>: a recurrent layer over a sequence.</summary>
internal sealed record RecurrentSpec(RecurrentCell Cell, bool Bidirectional, long Hidden, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => Recurrent.NameOf(Cell, Bidirectional) + "(" + Literal(Hidden) + ")";

    public override LayerKind Kind => Recurrent.Of(Cell, Bidirectional);
}

/// <summary>
/// A recurrent layer of H units over a sequence of D features: every step's output, H features (2H when bidirectional:
/// the forward and the backward direction side by side), as PyTorch's <c>nn.LSTM</c> and <c>nn.GRU</c> with
/// <c>batch_first</c> compute it. Parameters per direction: g·H·(D + H) weights and 2·g·H biases (g = 4 gates for an LSTM,
/// 3 for a GRU); multiply-adds g·H·(D + H) per step and direction. Its outputs are already squashed (tanh), so no
/// activation follows. The backward direction starts at the last step, padding included, as an unpacked PyTorch
/// sequence does.
/// </summary>
internal sealed class Recurrent : LayerKind<RecurrentSpec>
{
    public static readonly Recurrent Instance = new(RecurrentCell.Lstm, false);
    public static readonly Recurrent Gru = new(RecurrentCell.Gru, false);
    public static readonly Recurrent BidirectionalLstm = new(RecurrentCell.Lstm, true);
    public static readonly Recurrent BidirectionalGru = new(RecurrentCell.Gru, true);

    private readonly RecurrentCell cell;
    private readonly bool bidirectional;

    private Recurrent(RecurrentCell cell, bool bidirectional)
    {
        this.cell = cell;
        this.bidirectional = bidirectional;
        Signature = new Signature(NameOf(cell, bidirectional) + "(128)", new[] { "units" }, new string[0]);
    }

    public static Recurrent Of(RecurrentCell cell, bool bidirectional) => (cell, bidirectional) switch
    {
        (RecurrentCell.Lstm, false) => Instance,
        (RecurrentCell.Gru, false) => Gru,
        (RecurrentCell.Lstm, true) => BidirectionalLstm,
        _ => BidirectionalGru,
    };

    public static string NameOf(RecurrentCell cell, bool bidirectional) => (bidirectional ? "bi" : "") + (cell == RecurrentCell.Lstm ? "lstm" : "gru");

    public override int Order => 140 + (int)cell * 2 + (bidirectional ? 1 : 0);

    public override string Name => NameOf(cell, bidirectional);

    public override string Usage => Name + "(H)";

    public override Signature Signature { get; }

    public override bool ReadsSequences => true;

    public override SyntaxProblem? Bind(BoundArguments arguments, out LayerSpec? spec)
    {
        spec = null;
        var problem = arguments.ReadWholeNumbers();
        if (problem is null)
        {
            spec = new RecurrentSpec(cell, bidirectional, arguments.Number("units"), arguments.Start, arguments.Length);
        }
        return problem;
    }

    protected override LayerResult Analyse(RecurrentSpec spec, LayerContext context)
    {
        var input = context.Input;
        if (Shapes.NeedsSequence(spec, input) is { } notASequence)
        {
            return notASequence;
        }
        long gates = spec.Cell == RecurrentCell.Lstm ? 4 : 3;
        long directions = spec.Bidirectional ? 2 : 1;
        long weights = checked(gates * spec.Hidden * (input.Channels + spec.Hidden));
        long parameters = checked(directions * (weights + 2 * gates * spec.Hidden));
        string field = context.NextField(spec.Cell == RecurrentCell.Lstm ? "lstm" : "gru");
        var layer = new Layer(spec, input, TensorShape.Sequence(input.Length, directions * spec.Hidden), field, parameters,
            checked(directions * weights * input.Length),
            new Operation[] { new RecurrentOperation(field, spec.Cell, input.Channels, spec.Hidden, spec.Bidirectional) }.ToEquatableArray());
        return LayerResult.Of(layer);
    }
}

/// <summary>A recurrent layer's module: TorchSharp's <c>LSTM</c> or <c>GRU</c>, batch first, one layer; its output sequence.</summary>
internal sealed record RecurrentOperation(string Field, RecurrentCell Cell, long Inputs, long Hidden, bool Bidirectional) : Operation
{
    public override ModuleField Module =>
        new(Field, Cell == RecurrentCell.Lstm ? "global::TorchSharp.Modules.LSTM" : "global::TorchSharp.Modules.GRU",
            $"global::TorchSharp.torch.nn.{(Cell == RecurrentCell.Lstm ? "LSTM" : "GRU")}({Inputs}, {Hidden}, batchFirst: true"
            + (Bidirectional ? ", bidirectional: true" : "") + ")");

    public override string Apply(string x) => $"{Field}.forward({x}).Item1";

    public override string Describe() =>
        $"new {Runtime}.Recurrent(\"{Field}\", global::DeclarativeDistill.Operations.RecurrentCell.{Cell}, {Inputs}, {Hidden}"
        + (Bidirectional ? ", Bidirectional: true" : "") + ")";

    public override RuntimeContract.Activation? After(RuntimeContract.Activation? before) => null;
}
