using System;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// What every network generated from <c>Layers</c> offers, whatever its class: for code that handles many networks
/// (a study, a benchmark) without a line per network.
/// </summary>
public interface IGeneratedNetwork : IFeatureLayers
{
    /// <summary>The network as data (its class's static <c>Description</c>).</summary>
    NetworkDescription Description { get; }

    /// <summary>
    /// The standardisation of raw inputs the network applies before its first layer, or null. Saved with its weights,
    /// kept in checkpoints and exported into its ONNX graph.
    /// </summary>
    Normalization? InputNormalization { get; set; }

    /// <summary>The name of each class, by output, or null; saved with its weights and written into its ONNX file's metadata.</summary>
    System.Collections.Generic.IReadOnlyList<string>? ClassNames { get; set; }

    /// <summary>Trains the network on hard labels with cross-entropy.</summary>
    TrainingReport Fit(DataSource train, TrainingOptions? options = null);

    /// <summary>Accuracy, errors and mean cross-entropy on <paramref name="test"/>.</summary>
    Evaluation Evaluate(DataSource test, IProgress<TrainingProgress>? progress = null);

    /// <summary>The most probable class of each example, as int64 [N].</summary>
    Tensor Predict(Tensor features);

    /// <summary>The class and class probabilities of one example.</summary>
    Prediction Classify(ReadOnlySpan<float> example);

    /// <summary>The class and class probabilities of each example, one after another.</summary>
    Prediction[] ClassifyBatch(ReadOnlySpan<float> examples);

    /// <summary>Writes the weights in TorchSharp's format, through a temporary file.</summary>
    void Save(string path);

    /// <summary>Copies weights trained in PyTorch into the network.</summary>
    void LoadPyTorch(string path, Func<string, string?>? rename = null);

    /// <summary>Writes the network as an ONNX model with float32 weights.</summary>
    void ExportOnnx(string path);

    /// <summary>Writes the network as an ONNX model with float32 weights, int8 weights, or int8 fully connected layers (<see cref="OnnxWeights"/>).</summary>
    void ExportOnnx(string path, OnnxWeights weights);
}

/// <summary>
/// <see cref="IGeneratedNetwork"/> with the class's constants as static members, so that generic code reads
/// <c>T.ParameterCount</c> or creates <c>new T()</c>: <c>static string Describe&lt;T&gt;() where T : IGeneratedNetwork&lt;T&gt;</c>.
/// </summary>
/// <typeparam name="TSelf">The generated class itself.</typeparam>
public interface IGeneratedNetwork<TSelf> : IGeneratedNetwork
    where TSelf : nn.Module<Tensor, Tensor>, IGeneratedNetwork<TSelf>, new()
{
    /// <summary>Features per example.</summary>
    static abstract int InputSize { get; }

    /// <summary>One example's shape: <c>784</c> or <c>1x28x28</c>.</summary>
    static abstract string InputShape { get; }

    /// <summary>The number of classes.</summary>
    static abstract int OutputSize { get; }

    /// <summary>Trainable parameters.</summary>
    static abstract long ParameterCount { get; }

    /// <summary>Multiply-accumulates of one example's forward pass through the convolutions and fully connected layers.</summary>
    static abstract long MultiplyAdds { get; }

    /// <summary>The layers as declared.</summary>
    static abstract string Architecture { get; }

    /// <summary>A new network with the weights <see cref="IGeneratedNetwork.Save"/> wrote, in evaluation mode.</summary>
    static abstract TSelf Load(string path);
}
