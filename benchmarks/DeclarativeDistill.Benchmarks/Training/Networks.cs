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

/// <summary>A conv teacher for the embedded digits (two 5x5 convolutions with batch norm).</summary>
[Teacher(Layers = "1x28x28, conv(32, 5), bn, maxpool(2), conv(64, 5), bn, maxpool(2), 256, 10")]
public partial class BenchConvTeacher { }

/// <summary>The conv student of the benchmarks; <see cref="HandConvStudent"/> is the same network written by hand.</summary>
[Student(Layers = "1x28x28, conv(16, 5), bn, maxpool(2), conv(32, 5), bn, maxpool(2), 64, 10")]
[Distill(typeof(BenchConvTeacher), Temperature = 4, Alpha = 0.9)]
public partial class BenchConvStudent { }

/// <summary>
/// <see cref="BenchConvStudent"/> with a FitNets hint: its second bn (32x8x8) learns the teacher's (64x8x8) through a
/// 1x1 convolution.
/// </summary>
[Student(Layers = "1x28x28, conv(16, 5), bn, maxpool(2), conv(32, 5), bn, maxpool(2), 64, 10")]
[Distill(typeof(BenchConvTeacher), Temperature = 4, Alpha = 0.9)]
[Hint(TeacherLayer = "bn2", StudentLayer = "bn2")]
public partial class HintedBenchConvStudent { }

/// <summary>A text teacher for the sequence benchmarks: 64 token ids of a vocabulary of 5,000, a bidirectional LSTM.</summary>
[Teacher(Layers = "tokens(5000, 64), embed(64), bilstm(64), gmp, 2")]
public partial class BenchTextTeacher { }

/// <summary>The text student of the benchmarks; <see cref="HandTextStudent"/> is the same network written by hand.</summary>
[Student(Layers = "tokens(5000, 64), embed(32), conv1d(64, 3, pad: 1), gmp, 2")]
[Distill(typeof(BenchTextTeacher), Temperature = 4, Alpha = 0.9)]
public partial class BenchTextStudent { }
