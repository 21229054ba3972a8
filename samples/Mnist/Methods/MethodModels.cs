using DeclarativeDistill;
using Samples.Mnist.Conv;

namespace Samples.Mnist.Methods;

// One small conv student, trained eight ways from the conv teacher (conv1, bn1 16x24x24, conv2, bn2 32x8x8, hidden1 128,
// output). Student layers: conv1, bn1 4x24x24, conv2, bn2 8x8x8, hidden1 32, output 10. As in the tables of mdistiller and
// RepDistiller, each method is added to the hard labels alone (Alpha = 0, Beta = 1); Hinton's KD is the soft targets with
// the labels. Each method's weights are its paper's (CIFAR settings where it has several) times 1, 1/4 or 1/16, whichever
// made the fewest errors on a held-out tenth of the training set (--experiment methods-selection; KD: T of 2, 4 or 8).

/// <summary>The architecture every student of the comparison shares: 5,394 parameters.</summary>
internal static class MethodStudents
{
    public const string Layers = "1x28x28, conv(4, 5), bn, maxpool(2), conv(8, 5), bn, maxpool(2), 32, 10";
}

/// <summary>The baseline: hard labels alone (Fit).</summary>
[Student(Layers = MethodStudents.Layers)]
public partial class HardLabelStudent { }

/// <summary>Hinton et al. 2015: soft targets at T = 4 with the labels.</summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Temperature = 4, Alpha = 0.9)]
public partial class KdStudent { }

/// <summary>
/// DKD (Zhao et al. 2022), warmed up over the first tenth of training. The paper's Beta = 8 collapses this student to chance
/// (the teacher is far more confident on digits than on CIFAR-100, and Beta scales the non-target gradients); Beta = 0.5 is best held out.
/// </summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Alpha = 0, Beta = 1)]
[Dkd(Beta = 0.5, WarmupEpochs = 3)]
public partial class DkdStudent { }

/// <summary>DIST (Huang et al. 2022) at its CIFAR-100 temperature, T = 4, with both relations weighted 1/16 of its 2.</summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Alpha = 0, Beta = 1)]
[Dist(Temperature = 4, Beta = 0.125, Gamma = 0.125)]
public partial class DistStudent { }

/// <summary>Attention transfer (Zagoruyko and Komodakis 2017) at both convolutional stages, whose maps have the teacher's sizes, at a quarter of its weight.</summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Alpha = 0, Beta = 1)]
[AttentionTransfer("bn1", "bn1", Weight = 250)]
[AttentionTransfer("bn2", "bn2", Weight = 250)]
public partial class AttentionStudent { }

/// <summary>RKD (Park et al. 2019), distance and angle, between the penultimate layers (128 and 32 units), at 1/16 of its weights.</summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Alpha = 0, Beta = 1)]
[Rkd("hidden1", "hidden1", DistanceWeight = 1.5625, AngleWeight = 3.125)]
public partial class RkdStudent { }

/// <summary>Similarity-preserving KD (Tung and Mori 2019) on the last convolutional stage.</summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Alpha = 0, Beta = 1)]
[SimilarityPreserving("bn2", "bn2")]
public partial class SimilarityStudent { }

/// <summary>PKT (Passalis and Tefas 2018) between the penultimate layers, at a quarter of RepDistiller's weight.</summary>
[Student(Layers = MethodStudents.Layers)]
[Distill(typeof(ConvTeacher), Alpha = 0, Beta = 1)]
[Pkt("hidden1", "hidden1", Weight = 7500)]
public partial class PktStudent { }
