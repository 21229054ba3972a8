using DeclarativeDistill;

namespace DeclarativeDistill.Tests.Declarations.Vision;

// Well-known networks, declared; tools/pytorch-reference/architectures.py builds the same ones in PyTorch.

/// <summary>The network of PyTorch's MNIST example (pytorch/examples, mnist/main.py).</summary>
[Teacher(Layers = "1x28x28, conv(32, 3), conv(64, 3), maxpool(2), dropout(0.25), 128, dropout(0.5), 10")]
public partial class PyTorchMnistExample { }

/// <summary>LeNet-5 (LeCun et al. 1998) on 28x28 digits, padded by 2 as the original 32x32 input.</summary>
[Teacher(Layers = "1x28x28, conv(6, 5, pad: 2), avgpool(2), conv(16, 5), avgpool(2), 120, 84, 10")]
public partial class LeNet5 { }

/// <summary>ResNet-20 for CIFAR-10 (He et al. 2016, section 4.2), with projection shortcuts.</summary>
[Teacher(Layers = "3x32x32, conv(16, 3, pad: 1), bn, res(16), res(16), res(16), res(32, stride: 2), res(32), res(32), res(64, stride: 2), res(64), res(64), gap, 10")]
public partial class ResNet20 { }

/// <summary>ResNet-56 for CIFAR-10 (He et al. 2016): nine blocks per stage.</summary>
[Teacher(Layers = "3x32x32, conv(16, 3, pad: 1), bn, res(16), res(16), res(16), res(16), res(16), res(16), res(16), res(16), res(16), res(32, stride: 2), res(32), res(32), res(32), res(32), res(32), res(32), res(32), res(32), res(64, stride: 2), res(64), res(64), res(64), res(64), res(64), res(64), res(64), res(64), gap, 10")]
public partial class ResNet56 { }

/// <summary>A depthwise-separable network in the style of MobileNet.</summary>
[Student(Layers = "1x28x28, conv(16, 3, stride: 2, pad: 1), bn, dwconv(3, pad: 1), bn, conv(32, 1), bn, gap, 10")]
public partial class SeparableNet { }

/// <summary>A small, fast conv teacher for the embedded digits.</summary>
[Teacher(Layers = "1x28x28, conv(16, 5), bn, maxpool(2), conv(32, 5), bn, maxpool(2), 64, 10")]
public partial class SmallConvTeacher { }

/// <summary>An MLP student of the conv teacher: same 784 inputs.</summary>
[Student(Layers = "784, 64, 10")]
[Distill(typeof(SmallConvTeacher), Temperature = 4, Alpha = 0.9)]
public partial class FlatDigitStudent { }

/// <summary>A conv student of the conv teacher.</summary>
[Student(Layers = "1x28x28, conv(4, 5), maxpool(2), conv(8, 5), maxpool(2), 10")]
[Distill(typeof(SmallConvTeacher), Temperature = 4, Alpha = 0.9)]
public partial class TinyConvStudent { }

/// <summary>Batch norm over features of a vector network (BatchNorm1d).</summary>
[Student(Layers = "12, 32, bn, 4", Dropout = 0.1)]
public partial class NormalizedMlp { }

/// <summary>A residual network on small 3-channel images, for batch-norm behaviour.</summary>
[Teacher(Layers = "3x8x8, conv(4, 3, pad: 1), bn, res(8, stride: 2), gap, 4")]
public partial class TinyResNet { }

/// <summary>A student of <see cref="TinyResNet"/>, itself with batch norm.</summary>
[Student(Layers = "3x8x8, conv(4, 3), bn, gap, 4")]
[Distill(typeof(TinyResNet), Temperature = 2)]
public partial class TinyResNetStudent { }
