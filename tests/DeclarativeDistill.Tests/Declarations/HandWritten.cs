using System;
using DeclarativeDistill;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Declarations.HandWritten;

/// <summary>
/// A conv net written by hand in TorchSharp, declared a teacher by its shapes. Its forward insists on images, so a
/// test fails if a batch ever reaches it as rows.
/// </summary>
[Teacher(Input = "1x28x28", Outputs = 10)]
public partial class HandWrittenDigitNet : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Conv2d conv;
    private readonly TorchSharp.Modules.Linear fc;

    public HandWrittenDigitNet()
        : base(nameof(HandWrittenDigitNet))
    {
        conv = nn.Conv2d(1, 8, 5, stride: 2);
        fc = nn.Linear(8 * 12 * 12, 10);
        RegisterComponents();
    }

    /// <summary>Batches of this shape reached forward.</summary>
    public long[]? LastInputShape { get; private set; }

    public override Tensor forward(Tensor input)
    {
        LastInputShape = input.shape;
        if (input.dim() != 4)
        {
            throw new ArgumentException($"HandWrittenDigitNet takes [B, 1, 28, 28]; got [{string.Join(", ", input.shape)}].");
        }
        return fc.forward(nn.functional.relu(conv.forward(input)).flatten(1));
    }
}

[Student(Layers = "784, 32, 10")]
[Distill(typeof(HandWrittenDigitNet), Temperature = 4, Alpha = 0.9)]
public partial class StudentOfHandWritten { }

/// <summary>A classifier in an ONNX file as a teacher, declared by its shapes (12 features, 4 classes).</summary>
[Teacher(Input = "12", Outputs = 4)]
public partial class ClusterOnnxTeacher : OnnxTeacher
{
    public ClusterOnnxTeacher(string path)
        : base(path, InputShape, OutputSize)
    {
    }
}

[Student(Layers = "12, 6, 4")]
[Distill(typeof(ClusterOnnxTeacher), Temperature = 4, Alpha = 0.9)]
public partial class StudentOfOnnx { }

/// <summary>The PyTorch-exported conv net of tools/pytorch-reference/weights.py, declared as it reads and gives.</summary>
[Teacher(Input = "784", Outputs = 10)]
public partial class PyTorchOnnxTeacher : OnnxTeacher
{
    public PyTorchOnnxTeacher(string path)
        : base(path, InputShape, OutputSize)
    {
    }
}
