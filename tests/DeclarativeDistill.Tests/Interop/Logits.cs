using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;
using Tensor = TorchSharp.torch.Tensor;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>A network's logits for rows of features, from <c>forward</c> in evaluation mode and from its ONNX file in ONNX Runtime.</summary>
internal static class Logits
{
    public static float[] Forward(Model model, Tensor features)
    {
        using var _ = no_grad();
        model.eval();
        using var logits = model.call(features);
        return logits.data<float>().ToArray();
    }

    public static float[] Run(InferenceSession session, Tensor features)
    {
        int rows = (int)features.shape[0], columns = (int)features.shape[1];
        var input = new DenseTensor<float>(features.contiguous().data<float>().ToArray(), new[] { rows, columns });
        using var results = session.Run(new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input", input) });
        return results.Single(r => r.Name == "logits").AsTensor<float>().ToArray();
    }
}
