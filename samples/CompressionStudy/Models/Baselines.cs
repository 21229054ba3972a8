using DeclarativeDistill;

// The study's nine baselines, three families in three depths, and one small student per family, distilled from
// the family's deepest network. All read 28x28 digits; the conv and residual networks see them as 1x28x28. The
// residual networks start with a stride-2 convolution (14x14 from there on), as CIFAR-sized ResNets at 28x28 would
// take most of the study's CPU budget.

namespace Samples.CompressionStudy.Mlp
{
    [Teacher(Layers = "784, 128, 10")]
    public partial class MlpSimple { }

    [Teacher(Layers = "784, 512, 256, 10", Dropout = 0.2)]
    public partial class MlpMedium { }

    [Teacher(Layers = "784, 1024, 1024, 512, 10", Dropout = 0.3)]
    public partial class MlpDeep { }

    [Student(Layers = "784, 32, 10")]
    [Distill(typeof(MlpDeep), Temperature = 4, Alpha = 0.9)]
    public partial class MlpStudent { }
}

namespace Samples.CompressionStudy.Cnn
{
    [Teacher(Layers = "1x28x28, conv(8, 3), maxpool(2), 10")]
    public partial class CnnSimple { }

    [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, maxpool(2), conv(32, 3, pad: 1), bn, maxpool(2), 64, 10")]
    public partial class CnnMedium { }

    [Teacher(Layers = "1x28x28, conv(32, 3, pad: 1), bn, conv(32, 3, pad: 1), bn, maxpool(2), conv(64, 3, pad: 1), bn, conv(64, 3, pad: 1), bn, maxpool(2), 128, dropout(0.3), 10")]
    public partial class CnnDeep { }

    [Student(Layers = "1x28x28, conv(4, 5), bn, maxpool(2), conv(8, 5), bn, maxpool(2), 10")]
    [Distill(typeof(CnnDeep), Temperature = 4, Alpha = 0.9)]
    public partial class CnnStudent { }
}

namespace Samples.CompressionStudy.ResNet
{
    [Teacher(Layers = "1x28x28, conv(8, 3, stride: 2, pad: 1), bn, res(8), res(16, stride: 2), gap, 10")]
    public partial class ResNetSimple { }

    [Teacher(Layers = "1x28x28, conv(16, 3, stride: 2, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10")]
    public partial class ResNetMedium { }

    [Teacher(Layers = "1x28x28, conv(16, 3, stride: 2, pad: 1), bn, res(16), res(16), res(32, stride: 2), res(32), res(64, stride: 2), res(64), gap, 10")]
    public partial class ResNetDeep { }

    [Student(Layers = "1x28x28, conv(8, 3, stride: 2, pad: 1), bn, res(8, stride: 2), gap, 10")]
    [Distill(typeof(ResNetDeep), Temperature = 4, Alpha = 0.9)]
    public partial class ResNetStudent { }
}
