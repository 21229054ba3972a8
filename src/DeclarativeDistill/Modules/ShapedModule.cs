using System;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Modules;

/// <summary>
/// A hand-written module seen through its declared input shape: every batch is viewed as
/// <c>[B, ...shape]</c> before it reaches the module (rows of 784 features become <c>[B, 1, 28, 28]</c> for a module
/// declared <c>1x28x28</c>). Generated code wraps a <c>[Teacher(Input = ..., Outputs = ...)]</c> class in it, so that
/// the runtime's loops, which hand out batches as the dataset holds them, reach its <c>forward</c> in its shape.
/// The module is registered under the name <c>module</c>; training mode, devices and parameters are its own.
/// </summary>
public sealed class ShapedModule : Model
{
    private readonly Model module;
    private readonly long[] shape;

    private ShapedModule(Model module, FeatureShape shape)
        : base(module.GetName())
    {
        this.module = module;
        this.shape = shape.BatchShape(1)[1..];
        RegisterComponents();
    }

    /// <summary>The module whose batches are viewed as <paramref name="inputShape"/> (the generated <c>InputShape</c>).</summary>
    public static Model As(Model module, string inputShape)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new ShapedModule(module, FeatureShape.Parse(inputShape));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var target = new long[shape.Length + 1];
        target[0] = input.shape[0];
        shape.CopyTo(target, 1);
        using var view = input.reshape(target);
        return module.call(view);
    }
}
