using DeclarativeDistill;

namespace DeclarativeDistill.Benchmarks.Training;

[Teacher(Layers = "784,1200,1200,10")]
public partial class BenchTeacher { }

[Student(Layers = "784,800,800,10")]
[Distill(typeof(BenchTeacher), Temperature = 20, Alpha = 0.9)]
public partial class BenchStudent { }

[Student(Layers = "784,64,10")]
[Distill(typeof(BenchTeacher), Temperature = 4, Alpha = 0.9)]
public partial class SmallBenchStudent { }
