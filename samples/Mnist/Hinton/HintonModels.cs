using DeclarativeDistill;

namespace Samples.Mnist.Hinton;

// The students of Hinton et al.'s temperature remark (section 3): two hidden layers of 300 units, and of 30.
// The sweep varies T at run time (Objective with { Temperature = ... }); the declared T is each one's default.

/// <summary>Two hidden layers of 300 units: "at 300 or more units per layer, any T above 8 works alike".</summary>
[Student(Layers = "784,300,300,10")]
[Distill(typeof(MnistTeacher), Temperature = 8, Alpha = 0.9)]
public partial class Student300 { }

/// <summary>Two hidden layers of 30 units: "T between 2.5 and 4 works significantly better than higher or lower".</summary>
[Student(Layers = "784,30,30,10")]
[Distill(typeof(MnistTeacher), Temperature = 4, Alpha = 0.9)]
public partial class Student30 { }
