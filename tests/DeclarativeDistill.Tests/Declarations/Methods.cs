using DeclarativeDistill;
using DeclarativeDistill.Tests.Declarations.Hinted;

namespace DeclarativeDistill.Tests.Declarations.Methods;

// Students of HintTeacher (3x8x8 images; conv1 8x8x8, bn1 8x8x8, res1 16x4x4, output 4) that add the methods beyond
// Hinton's. Student layers: conv1 8x8x8, conv2 8x4x4, hidden1 16, output 4.

/// <summary>Every method at once, summed with the soft targets and the labels.</summary>
[Student(Layers = "3x8x8, conv(8, 3, pad: 1), maxpool(2), conv(8, 3, pad: 1), gap, 16, 4")]
[Distill(typeof(HintTeacher), Temperature = 2)]
[Dkd(Temperature = 2)]
[Dist(Temperature = 2)]
[AttentionTransfer("res1", "conv2")]
[Rkd("res1", "hidden1")]
[SimilarityPreserving(TeacherLayer = "bn1", StudentLayer = "conv1")]
[Pkt("output", "hidden1", Weight = 100)]
public partial class EveryMethodStudent { }

/// <summary>DKD as its authors train it: the labels and the decoupled terms, without the soft targets.</summary>
[Student(Layers = "3x8x8, conv(8, 3, pad: 1), maxpool(2), conv(8, 3, pad: 1), gap, 16, 4")]
[Distill(typeof(HintTeacher), Alpha = 0, Beta = 1)]
[Dkd(Beta = 2, WarmupEpochs = 2)]
public partial class DecoupledStudent { }
