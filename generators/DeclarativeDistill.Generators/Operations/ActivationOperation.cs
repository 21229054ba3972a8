using DeclarativeDistill.Generators.RuntimeContract;

namespace DeclarativeDistill.Generators.Operations;

/// <summary>The network's activation function, applied element by element.</summary>
internal sealed record ActivationOperation(Activation Function) : Operation
{
    private const string Functional = "global::TorchSharp.torch.nn.functional";

    public override string Apply(string x) => Function switch
    {
        Activation.Tanh => $"{Functional}.tanh({x})",
        Activation.GELU => $"{Functional}.gelu({x})",
        Activation.Sigmoid => $"{Functional}.sigmoid({x})",
        _ => $"{Functional}.relu({x})",
    };

    public override string Describe() => $"new {Runtime}.Activate({RuntimeActivation(Function)})";

    public override Activation? After(Activation? before) => Function;

    /// <summary><c>global::DeclarativeDistill.Activation.ReLU</c>: the runtime's enum value, in generated code.</summary>
    public static string RuntimeActivation(Activation function) => "global::DeclarativeDistill.Activation." + function;
}
