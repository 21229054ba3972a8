using System;

namespace DeclarativeDistill.Modules;

/// <summary>
/// The optional parts of a generated network's state_dict that describe its data rather than its layers: its input
/// normalisation, its class names and its tokenizer. The description of its layers, PyTorch's weights and int8 quantization leave them out.
/// </summary>
internal static class DataParts
{
    public static bool Contains(string key) =>
        key.StartsWith(InputNormalization.Key + ".", StringComparison.Ordinal) || key.StartsWith(ClassNameList.Key + ".", StringComparison.Ordinal)
        || key.StartsWith(TokenizerModule.Key + ".", StringComparison.Ordinal);
}
