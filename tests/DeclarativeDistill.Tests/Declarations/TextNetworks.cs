using DeclarativeDistill;
using DeclarativeDistill.Tests;

namespace DeclarativeDistill.Tests.Declarations.Text;

// Text networks over 12 token ids of a vocabulary of 40; built the same way in real PyTorch by
// tools/pytorch-reference/text_networks.py.

[Teacher(Layers = "tokens(40, 12), embed(8), bilstm(6), gap, 3")]
public partial class LstmTextTeacher { }

[Student(Layers = "tokens(40, 12), embed(8), conv1d(10, 3), gmp, 3")]
[Distill(typeof(LstmTextTeacher), Temperature = 2, Alpha = 0.5)]
public partial class ConvTextStudent { }

[Student(Layers = "tokens(40, 12), embed(6), conv1d(6, 4, stride: 2), layernorm, bigru(5), first, 7, 3")]
public partial class GruTextStudent { }

[Student(Layers = "tokens(40, 12), embed(6), lstm(5), gmp, 3")]
public partial class LstmTextStudent { }

[Student(Layers = "tokens(40, 12), embed(8), positions, transformer(2, 16), gap, 3")]
public partial class TransformerTextStudent { }

// A spam filter over 16 words of a vocabulary of up to 200 (the padding, the unknown word and 198 words).

[Teacher(Layers = "tokens(200, 16), embed(16), bigru(12), gmp, 2")]
public partial class SpamTeacher { }

[Student(Layers = "tokens(200, 16), embed(8), gap, 2")]
[Distill(typeof(SpamTeacher), Temperature = 2, Alpha = 0.5)]
public partial class SpamStudent { }

// A text teacher exported by real PyTorch (tools/pytorch-reference/text_teacher.py): input_ids and attention_mask in.

[Teacher(Input = "tokens(40, 12)", Outputs = 3)]
public partial class PyTorchTextTeacher : OnnxTeacher
{
    public PyTorchTextTeacher()
        : base(PyTorchReference.File("text/text-teacher.onnx"), InputShape, OutputSize)
    {
    }
}

[Student(Layers = "tokens(40, 12), embed(8), gap, 3")]
[Distill(typeof(PyTorchTextTeacher), Temperature = 2)]
public partial class StudentOfTextOnnx { }

// A hint between hidden states (TinyBERT): the student's conv1 (12 steps of 10 features) learns the teacher's lstm1
// (12 steps of 12) through a linear map applied to each step.

[Student(Layers = "tokens(40, 12), embed(8), conv1d(10, 3, pad: 1), gmp, 3")]
[Distill(typeof(LstmTextTeacher), Temperature = 2, Alpha = 0.5)]
[Hint(TeacherLayer = "lstm1", StudentLayer = "conv1", Weight = 0.5)]
public partial class HintedTextStudent { }

/// <summary>The same PyTorch teacher exported without dynamic axes: its file takes a batch of exactly 8.</summary>
[Teacher(Input = "tokens(40, 12)", Outputs = 3)]
public partial class FixedBatchTextTeacher : OnnxTeacher
{
    public FixedBatchTextTeacher()
        : base(PyTorchReference.File("text/text-teacher-batch-8.onnx"), InputShape, OutputSize)
    {
    }
}

/// <summary>
/// A text classifier written by hand in TorchSharp (a GRU over embeddings, its last state), declared a teacher by its
/// shapes: forward receives the token ids as the floats of a dataset's rows.
/// </summary>
[Teacher(Input = "tokens(40, 12)", Outputs = 3)]
public partial class HandWrittenTextTeacher : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
{
    private readonly TorchSharp.Modules.Embedding embedding = TorchSharp.torch.nn.Embedding(40, 16, padding_idx: 0);
    private readonly TorchSharp.Modules.GRU gru = TorchSharp.torch.nn.GRU(16, 24, batchFirst: true);
    private readonly TorchSharp.Modules.Linear head = TorchSharp.torch.nn.Linear(24, 3);

    public HandWrittenTextTeacher()
        : base(nameof(HandWrittenTextTeacher))
    {
        RegisterComponents();
    }

    public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input)
    {
        var ids = input.to_type(TorchSharp.torch.ScalarType.Int64);
        var (_, last) = gru.forward(embedding.forward(ids));
        return head.forward(last[0]);
    }
}

[Student(Layers = "tokens(40, 12), embed(8), gap, 3")]
[Distill(typeof(HandWrittenTextTeacher), Temperature = 2)]
public partial class StudentOfHandWrittenText { }
