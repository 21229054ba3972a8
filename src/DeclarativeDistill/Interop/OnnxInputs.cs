using System;
using System.Collections.Generic;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeclarativeDistill;

/// <summary>
/// The inputs an exported file reads, for an application that runs it in ONNX Runtime: a batch of rows of features
/// (<c>input</c>), or a text network's token ids and the attention mask they imply (<c>input_ids</c>,
/// <c>attention_mask</c>: 1 on tokens, 0 on the padding, id 0).
/// </summary>
public static class OnnxInputs
{
    /// <summary><paramref name="batch"/> rows of <paramref name="length"/> token ids as <c>input_ids</c> and <c>attention_mask</c>.</summary>
    /// <exception cref="ArgumentException">There are not <paramref name="batch"/> × <paramref name="length"/> ids.</exception>
    public static IReadOnlyList<NamedOnnxValue> Tokens(ReadOnlySpan<long> ids, int batch, int length)
    {
        if (ids.Length != (long)batch * length)
        {
            throw new ArgumentException($"{ids.Length} token ids for {batch} rows of {length}.", nameof(ids));
        }
        var values = ids.ToArray();
        var mask = new long[values.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = values[i] == 0 ? 0 : 1;
        }
        var dimensions = new[] { batch, length };
        return new[]
        {
            NamedOnnxValue.CreateFromTensor(OnnxExport.TokenIds, new DenseTensor<long>(values, dimensions)),
            NamedOnnxValue.CreateFromTensor(OnnxExport.AttentionMask, new DenseTensor<long>(mask, dimensions)),
        };
    }

    /// <summary>Token ids held as floats (a dataset's rows, or <see cref="TextTokenizer.Encode(string, int)"/>), as <see cref="Tokens(ReadOnlySpan{long}, int, int)"/>.</summary>
    public static IReadOnlyList<NamedOnnxValue> Tokens(ReadOnlySpan<float> ids, int batch, int length)
    {
        var values = new long[ids.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (long)ids[i];
        }
        return Tokens(values, batch, length);
    }

    /// <summary>
    /// What a network's file reads for <paramref name="batch"/> rows of <paramref name="size"/> values: <c>input</c>, or, when
    /// <paramref name="tokens"/>, the ids and their mask.
    /// </summary>
    internal static IReadOnlyList<NamedOnnxValue> For(float[] rows, int start, int batch, int size, bool tokens) => tokens
        ? Tokens(rows.AsSpan(start * size, batch * size), batch, size)
        : new[] { NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(rows.AsMemory(start * size, batch * size), new[] { batch, size })) };
}
