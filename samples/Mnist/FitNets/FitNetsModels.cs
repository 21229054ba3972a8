using DeclarativeDistill;
using Samples.Mnist.Conv;

namespace Samples.Mnist.FitNets;

// FitNets (Romero et al. 2015): a student deeper and thinner than its teacher. Ten hidden layers of 32 units, without
// batch norm, start with a signal that fades layer by layer; the conv teacher's hidden layer guides the fifth.

/// <summary>Ten hidden layers of 32 units, distilled from the conv teacher's outputs alone.</summary>
[Student(Layers = "784, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 10")]
[Distill(typeof(ConvTeacher), Temperature = 4, Alpha = 0.9)]
public partial class ThinDeepStudent { }

/// <summary>The same network, whose fifth hidden layer first learns the conv teacher's 128 hidden units (FitNets' hint).</summary>
[Student(Layers = "784, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 10")]
[Distill(typeof(ConvTeacher), Temperature = 4, Alpha = 0.9)]
[Hint(TeacherLayer = "hidden1", StudentLayer = "hidden5")]
public partial class GuidedThinDeepStudent { }

/// <summary>For scale: one hidden layer of the same width, which the fading signal does not hinder.</summary>
[Student(Layers = "784, 32, 10")]
[Distill(typeof(ConvTeacher), Temperature = 4, Alpha = 0.9)]
public partial class ThinShallowStudent { }
