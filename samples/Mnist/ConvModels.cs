using DeclarativeDistill;

namespace Samples.Mnist.Conv;

// Convolutional networks, in a namespace of their own so that each student infers its teacher.

/// <summary>A small conv teacher: two 5x5 convolutions with batch norm, 80k parameters.</summary>
[Teacher(Layers = "1x28x28, conv(16, 5), bn, maxpool(2), conv(32, 5), bn, maxpool(2), 128, 10", Dropout = 0.3)]
public partial class ConvTeacher { }

/// <summary>A tiny conv student (4 and 8 channels): 2.2k parameters, a tenth of the teacher's multiply-adds.</summary>
[Student(Layers = "1x28x28, conv(4, 5), bn, maxpool(2), conv(8, 5), bn, maxpool(2), 10")]
[Distill(Temperature = 4, Alpha = 0.9)]
public partial class ConvStudent { }
