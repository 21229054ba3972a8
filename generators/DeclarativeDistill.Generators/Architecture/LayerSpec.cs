namespace DeclarativeDistill.Generators.Architecture;

/// <summary>
/// One item of a <c>Layers</c> string as written, after the grammar and before shape inference: what the
/// user asked for and where (<see cref="Start"/> and <see cref="Length"/> count characters of the string,
/// not of the file, so an edit above the class moves nothing and the analysis stays cached).
/// </summary>
/// <remarks>A closed hierarchy: <see cref="ShapeRules"/> has one rule per kind, the emitter one writer per kind.</remarks>
internal abstract record LayerSpec(int Start, int Length)
{
    /// <summary>The item in its normal form, e.g. <c>conv(32, 3, stride: 2)</c>: how messages and <c>Architecture</c> show it.</summary>
    public abstract string Text { get; }
}

/// <summary>The first item: the shape of one example.</summary>
internal sealed record InputSpec(TensorShape Shape, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => Shape.ToString();
}

/// <summary><c>N</c>: a fully connected layer of N units (an image before it is flattened).</summary>
internal sealed record DenseSpec(long Units, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => Literal(Units);

    internal static string Literal(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// <c>conv(C, K, stride: S, pad: P)</c>, or with <see cref="Depthwise"/> <c>dwconv(K, stride: S, pad: P)</c>: a
/// depthwise convolution (one K×K filter per channel, as in MobileNet), whose channels are its input's.
/// </summary>
internal sealed record ConvSpec(long Channels, long Kernel, long Stride, long Pad, bool Depthwise, int Start, int Length)
    : LayerSpec(Start, Length)
{
    public override string Text =>
        (Depthwise ? "dwconv(" + DenseSpec.Literal(Kernel) : "conv(" + DenseSpec.Literal(Channels) + ", " + DenseSpec.Literal(Kernel))
        + (Stride != 1 ? ", stride: " + DenseSpec.Literal(Stride) : "")
        + (Pad != 0 ? ", pad: " + DenseSpec.Literal(Pad) : "")
        + ")";
}

/// <summary>The two pooling items.</summary>
internal enum PoolKind
{
    Max,
    Average,
}

/// <summary><c>maxpool(K, stride: S)</c> or <c>avgpool(K, stride: S)</c>; the stride defaults to K.</summary>
internal sealed record PoolSpec(PoolKind Kind, long Kernel, long Stride, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text =>
        (Kind == PoolKind.Max ? "maxpool(" : "avgpool(") + DenseSpec.Literal(Kernel)
        + (Stride != Kernel ? ", stride: " + DenseSpec.Literal(Stride) : "") + ")";
}

/// <summary><c>bn</c>: batch normalization over channels (an image) or features (a vector).</summary>
internal sealed record BatchNormSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "bn";
}

/// <summary><c>res(C, stride: S)</c>: a basic residual block of He et al. (2016).</summary>
internal sealed record ResidualSpec(long Channels, long Stride, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "res(" + DenseSpec.Literal(Channels) + (Stride != 1 ? ", stride: " + DenseSpec.Literal(Stride) : "") + ")";
}

/// <summary><c>gap</c>: global average pooling, an image C×H×W to a vector of C.</summary>
internal sealed record GlobalAvgPoolSpec(int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "gap";
}

/// <summary>
/// <c>flatten</c>: an image to a vector of C·H·W. <see cref="Implicit"/> when it was not written but stands
/// before a fully connected layer that reads an image.
/// </summary>
internal sealed record FlattenSpec(bool Implicit, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "flatten";
}

/// <summary><c>dropout(p)</c> at this point, while training.</summary>
internal sealed record DropoutSpec(double Probability, int Start, int Length) : LayerSpec(Start, Length)
{
    public override string Text => "dropout(" + Model.Literals.Format(Probability) + ")";
}
