using System;
using System.Collections.Generic;

namespace DeclarativeDistill;

/// <summary>How the range of each activation is chosen from what the calibration set shows.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing is clipped; one outlier widens every step.</summary>
    MinMax,

    /// <summary>
    /// The values between the (100 − p)th and the pth percentile (<see cref="Calibration.Percentile"/>): the rarest
    /// values are clipped so that the common ones get finer steps.
    /// </summary>
    Percentile,

    /// <summary>
    /// The range whose 256 steps lose the least information about the values seen: the clipping threshold that minimises
    /// the Kullback–Leibler divergence between the histogram of the values and its quantized copy (the method TensorRT
    /// introduced for int8 inference).
    /// </summary>
    Entropy,
}

/// <summary>
/// What a static int8 export (<c>ExportOnnx(path, calibration)</c>) quantizes and how: a calibration set whose
/// examples are run through the float32 network to measure the range of every activation that is quantized, the
/// method that turns what was seen into a range, and the layers that stay float32.
/// <para>
/// The file's form is the one ONNX Runtime recommends for x86-64 (QDQ): activations uint8 with a scale and zero point
/// per tensor, weights int8, symmetric, with a scale per output channel, biases int32. ONNX Runtime fuses each
/// <c>DequantizeLinear → Conv/Gemm → QuantizeLinear</c> group into one integer kernel (<c>QLinearConv</c>,
/// <c>QGemm</c>), and max pooling and reshapes run on the uint8 values.
/// </para>
/// </summary>
public sealed record Calibration
{
    /// <summary>The default number of calibration examples.</summary>
    public const int DefaultExamples = 1024;

    private readonly DataSource data;
    private readonly double percentile = 99.99;
    private readonly int examples = DefaultExamples;

    /// <param name="data">Examples like those the model will see (its training set, or a part of it; not the test set).</param>
    public Calibration(DataSource data)
    {
        ArgumentNullException.ThrowIfNull(data);
        this.data = data;
    }

    /// <summary>The calibration examples; labels are not needed.</summary>
    public DataSource Data => data;

    /// <summary>How each activation's range is chosen: <see cref="CalibrationMethod.MinMax"/> by default.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>The percentile of <see cref="CalibrationMethod.Percentile"/>, above 50 and at most 100: 99.99 by default.</summary>
    public double Percentile
    {
        get => percentile;
        init => percentile = value is > 50 and <= 100
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Percentile), $"The percentile must be above 50 and at most 100; got {value}.");
    }

    /// <summary>
    /// How many examples are run, spread evenly over <see cref="Data"/> (all of them when it holds fewer):
    /// <see cref="DefaultExamples"/> by default.
    /// </summary>
    public int Examples
    {
        get => examples;
        init => examples = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(Examples), $"At least one calibration example is needed; got {value}.");
    }

    /// <summary>
    /// The modules whose layers stay float32, by their state_dict prefix (<c>output</c>, <c>conv1</c>,
    /// <c>res2.conv1</c>); an empty list quantizes every layer. Null, the default, keeps the output layer float32 (its
    /// logits decide the class, and no later layer averages its int8 error out) and convolutions over an image's own 1-3
    /// channels, where ONNX Runtime's int8 kernel is 4-6x slower than its float one; when that would leave no layer in
    /// int8, only the output layer stays float32, and a network of one layer is quantized whole.
    /// </summary>
    public IReadOnlyList<string>? KeepFloat { get; init; }

    /// <summary>
    /// Whether weights use 7 bits (−63..63) instead of 8: for files that will run on x86-64 processors without VNNI
    /// (AVX2 only), whose uint8 × int8 instructions can saturate with full-range weights. False by default.
    /// </summary>
    public bool ReduceRange { get; init; }
}
