using DeclarativeDistill;

namespace DeclarativeDistill.Tests.Declarations.Hinted;

// Small enough to train in a test on 3x8x8 images. Teacher layers: conv1 8x8x8 (before its bn), bn1 8x8x8 (ReLU),
// res1 16x4x4, output 4.

/// <summary>A residual teacher whose res1 gives the hints.</summary>
[Teacher(Layers = "3x8x8, conv(8, 3, pad: 1), bn, res(16, stride: 2), gap, 4")]
public partial class HintTeacher { }

/// <summary>
/// FitNets' schedule: the layers up to bn1 (conv1, conv2, conv3, bn1) learn res1 through a 1x1 convolution 4 → 16;
/// conv4 and output are the upper part.
/// </summary>
[Student(Layers = "3x8x8, conv(4, 3, pad: 1), conv(4, 3, pad: 1), maxpool(2), conv(4, 3, pad: 1), bn, conv(4, 3, pad: 1), gap, 4")]
[Distill(Temperature = 2)]
[Hint(TeacherLayer = "res1", StudentLayer = "bn1")]
public partial class GuidedStudent { }

/// <summary>One combined loss with two hints: a 5x5 convolution 8x8x8 → 16x4x4, and a linear layer to the teacher's logits.</summary>
[Student(Layers = "3x8x8, conv(8, 3, pad: 1), maxpool(2), 16, 4")]
[Distill(typeof(HintTeacher), Temperature = 2, HintTraining = HintTraining.Combined)]
[Hint(TeacherLayer = "res1", StudentLayer = "conv1", Weight = 0.5)]
[Hint(TeacherLayer = "output", StudentLayer = "hidden1")]
public partial class CombinedStudent { }
