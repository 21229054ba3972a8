using DeclarativeDistill;

namespace DeclarativeDistill.Tests.Declarations;

// Small networks for the synthetic problem of SyntheticData: 12 features, 4 classes.

[Teacher(Layers = "12,64,64,4")]
public partial class ClusterTeacher { }

[Teacher(Layers = "12,48,4", Activation = Activation.Tanh)]
public partial class OtherTeacher { }

[Student(Layers = "12,6,4")]
[Distill(typeof(ClusterTeacher), Temperature = 4, Alpha = 0.9)]
public partial class ClusterStudent { }

[Student(Layers = "12,6,4")]
[Distill(typeof(ClusterTeacher), typeof(OtherTeacher), Temperature = 3, Alpha = 0.5, Beta = 0.5)]
public partial class EnsembleStudent { }

/// <summary>A teacher assistant: distilled from the big teacher, then teaching a smaller student.</summary>
[Teacher, Student(Layers = "12,24,4")]
[Distill(typeof(ClusterTeacher), Temperature = 2)]
public partial class AssistantNetwork { }

[Student(Layers = "12,4")]
[Distill(typeof(AssistantNetwork), Temperature = 2, Alpha = 1)]
public partial class LinearStudent { }

[Teacher(Layers = "12,16,16,4", Activation = Activation.GELU, Dropout = 0.5)]
public partial class DropoutTeacher { }

[Student(Layers = "12,10,4", Activation = Activation.Sigmoid)]
public partial class SigmoidBaseline { }

/// <summary>The network of a divergence repro: wide enough that a huge learning rate blows it up within a few steps.</summary>
[Student(Layers = "64,128,128,4")]
public partial class WideNetwork { }
