using System;

namespace DeclarativeDistill;

/// <summary>What a <see cref="NetworkStep"/> does.</summary>
public enum StepKind
{
    /// <summary>A 2-D convolution, the module's <c>weight</c> (and <c>bias</c>, if it has one).</summary>
    Convolution,

    /// <summary>Batch normalization with the module's running statistics (evaluation mode).</summary>
    BatchNorm,

    /// <summary>The network's activation function.</summary>
    Activation,

    /// <summary>Max pooling.</summary>
    MaxPool,

    /// <summary>Average pooling.</summary>
    AveragePool,

    /// <summary>Global average pooling: an image C×H×W becomes a vector of C.</summary>
    GlobalAveragePool,

    /// <summary>An image becomes a vector of C·H·W.</summary>
    Flatten,

    /// <summary>A fully connected layer, the module's <c>weight</c> and <c>bias</c>.</summary>
    Linear,

    /// <summary>A basic residual block (<see cref="Modules.ResidualBlock"/>).</summary>
    Residual,
}

/// <summary>
/// One step of a generated network's <c>forward</c> in evaluation mode (dropout is the identity there and has no
/// step), as data: what the ONNX export writes, in order. Generated code lists the steps of its network; a step
/// with state names its module by its state_dict prefix.
/// </summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Module">The state_dict prefix of the module whose tensors it uses (<c>conv1</c>, <c>res2</c>); null without state.</param>
/// <param name="Kernel">Window of a pooling step.</param>
/// <param name="Stride">Stride of a convolution, pooling or residual step.</param>
/// <param name="Padding">Zero padding of a convolution on each side.</param>
/// <param name="Groups">Groups of a convolution (its input channels for a depthwise one).</param>
/// <param name="Function">The activation of an activation or residual step.</param>
public sealed record NetworkStep(StepKind Kind, string? Module = null, int Kernel = 0, int Stride = 1, int Padding = 0, int Groups = 1,
    Activation Function = Activation.ReLU)
{
    /// <summary>A convolution by the module <paramref name="module"/>.</summary>
    public static NetworkStep Convolution(string module, int stride = 1, int padding = 0, int groups = 1) =>
        new(StepKind.Convolution, Named(module), Stride: stride, Padding: padding, Groups: groups);

    /// <summary>Batch normalization by the module <paramref name="module"/>.</summary>
    public static NetworkStep BatchNorm(string module) => new(StepKind.BatchNorm, Named(module));

    /// <summary>The activation <paramref name="function"/>.</summary>
    public static NetworkStep Activate(Activation function) => new(StepKind.Activation, Function: function);

    /// <summary>Max pooling over <paramref name="kernel"/>×<paramref name="kernel"/> windows.</summary>
    public static NetworkStep MaxPool(int kernel, int stride) => new(StepKind.MaxPool, Kernel: kernel, Stride: stride);

    /// <summary>Average pooling over <paramref name="kernel"/>×<paramref name="kernel"/> windows.</summary>
    public static NetworkStep AveragePool(int kernel, int stride) => new(StepKind.AveragePool, Kernel: kernel, Stride: stride);

    /// <summary>Global average pooling.</summary>
    public static NetworkStep GlobalAveragePool() => new(StepKind.GlobalAveragePool);

    /// <summary>Flattening an image to a vector.</summary>
    public static NetworkStep Flatten() => new(StepKind.Flatten);

    /// <summary>The fully connected layer <paramref name="module"/>.</summary>
    public static NetworkStep Linear(string module) => new(StepKind.Linear, Named(module));

    /// <summary>The residual block <paramref name="module"/>, with its first convolution's stride and the activation.</summary>
    public static NetworkStep Residual(string module, int stride, Activation function) =>
        new(StepKind.Residual, Named(module), Stride: stride, Function: function);

    private static string Named(string module) =>
        string.IsNullOrEmpty(module) ? throw new ArgumentException("A step with state names its module.", nameof(module)) : module;
}
