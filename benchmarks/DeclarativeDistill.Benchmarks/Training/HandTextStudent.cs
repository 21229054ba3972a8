using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill.Benchmarks.Training;

/// <summary>
/// <see cref="BenchTextStudent"/>'s network as a careful TorchSharp user writes it by hand (the padding left out of the
/// max as the generated readout does): the reference for the generated module's speed.
/// </summary>
internal sealed class HandTextStudent : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed = nn.Embedding(5000, 32, padding_idx: 0);
    private readonly Conv1d conv = nn.Conv1d(32, 64, 3, padding: 1);
    private readonly Linear output = nn.Linear(64, 2);

    public HandTextStudent()
        : base(nameof(HandTextStudent))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var ids = input.to_type(ScalarType.Int64);
        var padding = ids.eq(0L).unsqueeze(-1);
        var x = relu(conv.forward(embed.forward(ids).transpose(1, 2))).transpose(1, 2);
        var largest = x.masked_fill(padding, double.NegativeInfinity).amax(new long[] { 1 });
        return output.forward(largest.masked_fill(largest.isinf(), 0));
    }
}
