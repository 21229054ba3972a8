using DeclarativeDistill;

namespace Samples.Mnist;

// Hinton, Vinyals and Dean (2015), section 3: a big regularised teacher and a smaller student.

/// <summary>The teacher: two hidden layers of 1200 units with dropout.</summary>
[Teacher(Layers = "784,1200,1200,10", Dropout = 0.5)]
public partial class MnistTeacher { }

/// <summary>The paper's student, distilled at T = 20 (teacher inferred: the only one in this namespace).</summary>
[Student(Layers = "784,800,800,10")]
[Distill(Temperature = 20, Alpha = 0.9)]
public partial class MnistStudent { }

/// <summary>A much smaller student, 30 hidden units, which the paper found did best at lower temperatures.</summary>
[Student(Layers = "784,30,10")]
[Distill(typeof(MnistTeacher), Temperature = 4, Alpha = 0.9)]
public partial class TinyStudent { }
