using System.Globalization;
using System.Linq;
using System.Threading;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>Whole generated files against the committed Snapshots/*.verified.cs.</summary>
public class SnapshotTests
{
    public static readonly TheoryData<string, string> Declarations = new()
    {
        {
            "Mnist",
            """
            using DeclarativeDistill;

            namespace Samples.Mnist;

            [Teacher(Layers = "784,1200,1200,10", Dropout = 0.5)]
            public partial class MnistTeacher { }

            [Student(Layers = "784,800,800,10")]
            [Distill(Temperature = 20, Alpha = 0.9)]
            public partial class MnistStudent { }

            [Student(Layers = "784,30,10")]
            [Distill(typeof(MnistTeacher), Temperature = 4, Alpha = 0.5)]
            public partial class TinyStudent { }
            """
        },
        {
            "Ensemble",
            """
            using DeclarativeDistill;

            namespace Zoo;

            [Teacher(Layers = "20,64,5", Activation = Activation.Tanh)]
            public partial class WideTeacher { }

            [Teacher(Layers = "20,32,32,5", Activation = Activation.GELU, Dropout = 0.25)]
            public partial class DeepTeacher { }

            [Student(Layers = "20, 8, 5", Activation = Activation.Sigmoid)]
            [Distill(typeof(WideTeacher), typeof(DeepTeacher), Temperature = 2.5, Alpha = 0.7, Beta = 0.3)]
            public partial class EnsembleStudent { }
            """
        },
        {
            "TeacherAssistant",
            """
            using DeclarativeDistill;

            namespace Chain;

            [Teacher(Layers = "10,100,100,3")]
            public partial class Big { }

            [Teacher, Student(Layers = "10,40,3")]
            [Distill(typeof(Big), Temperature = 3)]
            public partial class Assistant { }

            [Student(Layers = "10,3")]
            [Distill(typeof(Assistant), Temperature = 25E-1, Alpha = 1)]
            public partial class Small { }
            """
        },
        {
            "NestedAndGlobal",
            """
            using DeclarativeDistill;

            public static partial class Models
            {
                [Teacher(Layers = "4,8,2")]
                public partial class @event { }
            }

            [Student(Layers = "4,2")]
            [Distill(typeof(Models.@event))]
            partial class GlobalStudent { }
            """
        },
        {
            "ConvNets",
            """
            using DeclarativeDistill;

            namespace Vision;

            // The PyTorch MNIST example network.
            [Teacher(Layers = "1x28x28, conv(32, 3), conv(64, 3), maxpool(2), dropout(0.25), 128, dropout(0.5), 10")]
            public partial class DigitNet { }

            // An MLP student of a conv teacher with the same input size.
            [Student(Layers = "784, 100, 10")]
            [Distill(typeof(DigitNet), Temperature = 4)]
            public partial class FlatStudent { }

            // A small MobileNet-style student: depthwise-separable convolutions with batch norm.
            [Student(Layers = "1x28x28, conv(8, 3, stride: 2, pad: 1), bn, dwconv(3, pad: 1), bn, conv(16, 1), bn, avgpool(2, stride: 2), gap, 10", Activation = Activation.GELU)]
            [Distill(typeof(DigitNet), Temperature = 4)]
            public partial class SeparableStudent { }

            // A ResNet for 32x32 colour images.
            [Teacher(Layers = "3x32x32, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10")]
            public partial class TinyResNet { }

            [Student(Layers = "3x32x32, conv(8, 3, pad: 1), bn, maxpool(4), flatten, 32, bn, 10", Dropout = 0.2)]
            [Distill(typeof(TinyResNet))]
            public partial class CifarStudent { }
            """
        },
        {
            "Hints",
            """
            using DeclarativeDistill;

            namespace Fit;

            [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10")]
            public partial class WideResNet { }

            // A thin, deep student guided in its middle (FitNets' stage 1), then distilled.
            [Student(Layers = "1x28x28, conv(8, 3, pad: 1), conv(8, 3, pad: 1), maxpool(2), conv(16, 3, pad: 1), conv(16, 3, pad: 1), maxpool(2), 32, 10")]
            [Distill(Temperature = 4)]
            [Hint(TeacherLayer = "res2", StudentLayer = "conv4")]
            public partial class ThinStudent { }

            // Two hints in one combined loss, one of them a linear regressor from a vector to a map.
            [Student(Layers = "784, 64, 32, 10")]
            [Distill(typeof(WideResNet), HintTraining = HintTraining.Combined)]
            [Hint(TeacherLayer = "res3", StudentLayer = "hidden1", Weight = 0.5)]
            [Hint(TeacherLayer = "output", StudentLayer = "hidden2")]
            public partial class VectorStudent { }
            """
        },
        {
            "Methods",
            """
            using DeclarativeDistill;

            namespace Methods;

            [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10")]
            public partial class ResTeacher { }

            [Teacher(Layers = "784, 256, 10")]
            public partial class MlpTeacher { }

            // DKD as its authors train it: the labels and the decoupled terms, without Hinton's soft term.
            [Student(Layers = "1x28x28, conv(8, 3, pad: 1), maxpool(2), conv(16, 3, pad: 1), gap, 10")]
            [Distill(typeof(ResTeacher), Alpha = 0, Beta = 1)]
            [Dkd(Beta = 2, WarmupEpochs = 5)]
            public partial class DecoupledStudent { }

            // Several methods summed with the soft targets: logits, maps and embeddings, one from each teacher of an ensemble.
            [Student(Layers = "1x28x28, conv(8, 3, pad: 1), maxpool(2), conv(16, 3, pad: 1), gap, 32, 10")]
            [Distill(typeof(ResTeacher), typeof(MlpTeacher), Temperature = 4)]
            [Dist(Temperature = 4)]
            [AttentionTransfer("res2", "conv2", Teacher = typeof(ResTeacher))]
            [Rkd("res3", "hidden1", Teacher = typeof(ResTeacher), AngleWeight = 0)]
            [SimilarityPreserving(TeacherLayer = "hidden1", StudentLayer = "hidden1", Teacher = typeof(MlpTeacher))]
            [Pkt("hidden1", "hidden1", Teacher = typeof(MlpTeacher), Weight = 1000)]
            public partial class BlendedStudent { }
            """
        },
        {
            "HandWritten",
            """
            using DeclarativeDistill;
            using TorchSharp;
            using static TorchSharp.torch;

            namespace Mine;

            // A teacher written by hand, declared by its shapes.
            [Teacher(Input = "1x28x28", Outputs = 10)]
            public partial class MyNet : nn.Module<Tensor, Tensor>
            {
                private readonly TorchSharp.Modules.Conv2d conv;
                private readonly TorchSharp.Modules.Linear fc;

                public MyNet() : base(nameof(MyNet))
                {
                    conv = nn.Conv2d(1, 4, 5);
                    fc = nn.Linear(4 * 24 * 24, 10);
                    RegisterComponents();
                }

                public override Tensor forward(Tensor x) => fc.forward(nn.functional.relu(conv.forward(x)).flatten(1));
            }

            [Student(Layers = "784, 32, 10")]
            [Distill(Temperature = 4)]
            public partial class Pupil { }
            """
        },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Generated_files_match_their_snapshots(string name, string source)
    {
        var result = GeneratorHarness.Run(source);

        Assert.False(result.GeneratorCrashed);
        Assert.Empty(result.Diagnostics);
        foreach (var (hintName, text) in result.Sources.OrderBy(s => s.Key, System.StringComparer.Ordinal))
        {
            Snapshot.Verify($"{name}.{hintName.Replace(".g.cs", "")}", text);
        }
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Generated_code_compiles_without_warnings(string name, string source)
    {
        var result = GeneratorHarness.Run(source);

        Assert.True(result.Sources.Count > 1, $"{name}: nothing was generated");
        Assert.Empty(result.CompilerDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Numbers_are_emitted_in_the_invariant_culture()
    {
        const string source = """
            using DeclarativeDistill;
            namespace N;
            [Teacher(Layers = "4,8,2", Dropout = 0.5)] public partial class T { }
            [Student(Layers = "4,2")] [Distill(Temperature = 2.5, Alpha = 0.25, Beta = -0.0)] public partial class S { }
            """;
        var original = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("fi-FI");
            var result = GeneratorHarness.Run(source);

            Assert.Contains("Dropout(0.5)", result.Sources["N.T.g.cs"]);
            var tooLarge = GeneratorHarness.Run("using DeclarativeDistill; [Teacher(Layers = \"3x65536x65536, 10\")] public partial class Big { }");
            Assert.Contains("12,884,901,888 features", Assert.Single(tooLarge.Diagnostics).GetMessage(CultureInfo.InvariantCulture));
            Assert.Contains("Temperature = 2.5;", result.Sources["N.S.Distill.g.cs"]);
            Assert.Contains("Alpha = 0.25;", result.Sources["N.S.Distill.g.cs"]);
            Assert.Empty(result.CompilerDiagnostics);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = original;
        }
    }
}
