using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace DeclarativeDistill.Benchmarks.Training;

/// <summary>
/// <see cref="BenchConvStudent"/>'s network as a careful TorchSharp user writes it by hand: the reference for
/// the generated module's speed.
/// </summary>
internal sealed class HandConvStudent : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 16, 5, bias: false);
    private readonly BatchNorm2d bn1 = nn.BatchNorm2d(16);
    private readonly Conv2d conv2 = nn.Conv2d(16, 32, 5, bias: false);
    private readonly BatchNorm2d bn2 = nn.BatchNorm2d(32);
    private readonly Linear hidden = nn.Linear(512, 64);
    private readonly Linear output = nn.Linear(64, 10);

    public HandConvStudent()
        : base(nameof(HandConvStudent))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input.view(-1, 1, 28, 28);
        x = max_pool2d(relu(bn1.forward(conv1.forward(x))), 2);
        x = max_pool2d(relu(bn2.forward(conv2.forward(x))), 2);
        return output.forward(relu(hidden.forward(x.flatten(1))));
    }
}
