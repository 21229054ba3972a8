using System;

namespace Samples.CompressionStudy.Study;

/// <summary>How a row's model was made.</summary>
public enum Method
{
    /// <summary>Trained on hard labels: a baseline, or a student without its teacher.</summary>
    Trained,

    /// <summary>A student trained from its family's deepest network by knowledge distillation.</summary>
    Distilled,

    /// <summary>Weights quantized to int8 after training.</summary>
    Quantized,

    /// <summary>Exported to ONNX in static int8 (calibrated on the training set) and run by ONNX Runtime.</summary>
    QuantizedOnnx,

    /// <summary>Weights pruned by magnitude after training.</summary>
    Pruned,

    /// <summary>Pruned, then fine-tuned with the pruned weights held at zero.</summary>
    PrunedFineTuned,
}

/// <summary>
/// One model of the study: a baseline, a student, or a compressed variant of one, with its size and how it does.
/// <paramref name="Reference"/> is what its fidelity is measured against: the teacher of a distilled student, the
/// original of a quantized or pruned model; null for a model trained alone.
/// </summary>
public sealed record Row(
    string Model,
    string Family,
    string Tier,
    Method Method,
    double? Sparsity,
    long SizeInBytes,
    long Parameters,
    long NonZeroParameters,
    long MultiplyAdds,
    double Accuracy,
    int Errors,
    string? Reference,
    double? Agreement,
    double? KL,
    TimeSpan TrainingTime)
{
    /// <summary>"Pruned 80 %, fine-tuned", "int8", ...: the variant in words.</summary>
    public string Variant => Method switch
    {
        Method.Trained => Tier == "Student" ? "hard labels only" : "baseline",
        Method.Distilled => "distilled",
        Method.Quantized => "int8",
        Method.QuantizedOnnx => "int8 ONNX (static, calibrated)",
        Method.Pruned => FormattableString.Invariant($"pruned {Sparsity:P0}"),
        Method.PrunedFineTuned => FormattableString.Invariant($"pruned {Sparsity:P0}, fine-tuned"),
        _ => Method.ToString(),
    };
}
