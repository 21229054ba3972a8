using DeclarativeDistill;

namespace DeclarativeDistill.Tests.Declarations.Vision;

// Layer normalization; tools/pytorch-reference builds the same networks in PyTorch (architectures.py, weights.py).

/// <summary>An MLP whose hidden layer is layer-normalized before its activation: Linear → LayerNorm(256) → ReLU.</summary>
[Teacher(Layers = "784, 256, layernorm, 10")]
public partial class LayerNormMlp { }

/// <summary>A convolution normalized over each example's 4x10x10 values (PyTorch's nn.LayerNorm([4, 10, 10])), then pooled.</summary>
[Student(Layers = "1x12x12, conv(4, 3), layernorm, maxpool(2), 10")]
public partial class LayerNormConvNet { }
