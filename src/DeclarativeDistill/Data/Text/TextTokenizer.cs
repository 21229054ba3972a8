using System;
using System.Collections.Generic;
using System.Text.Json;

namespace DeclarativeDistill;

/// <summary>
/// Turns text into the token ids a text network reads (<c>tokens(V, L)</c>): id 0 is the padding, and every id is below
/// <see cref="VocabularySize"/>. A network trained on data a tokenizer encoded keeps the tokenizer (in its weights file),
/// so that <c>network.Classify("some text")</c> encodes a string as its training data was.
/// </summary>
public abstract class TextTokenizer
{
    private protected TextTokenizer()
    {
    }

    /// <summary>Ids, the padding (0) included: the smallest V of <c>tokens(V, L)</c> that reads them.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The ids of <paramref name="text"/>, as many as it has.</summary>
    public abstract IReadOnlyList<int> Encode(string text);

    /// <summary>
    /// The ids of <paramref name="text"/> as one example of <paramref name="length"/> ids: cut after
    /// <paramref name="length"/>, or followed by padding (0).
    /// </summary>
    public float[] Encode(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var ids = Encode(text);
        var example = new float[length];
        for (int i = 0; i < Math.Min(length, ids.Count); i++)
        {
            example[i] = ids[i];
        }
        return example;
    }

    /// <summary>
    /// The tokenizer as JSON (its kind and vocabulary): what a network's weights file and its ONNX file's metadata
    /// (<c>tokenizer</c>) hold; <see cref="FromJson"/> rebuilds it.
    /// </summary>
    public string ToJson() => Serialize();

    /// <summary>The tokenizer <see cref="ToJson"/> wrote, e.g. an ONNX file's <c>tokenizer</c> metadata.</summary>
    /// <exception cref="System.IO.InvalidDataException">The text is not a tokenizer this library wrote.</exception>
    public static TextTokenizer FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(json);
    }

    /// <summary>What the tokenizer is, for the weights file: its kind and what it needs to be rebuilt.</summary>
    internal string Serialize() => JsonSerializer.Serialize(new Dictionary<string, object> { ["kind"] = Kind, ["data"] = Data() });

    /// <summary>The tokenizer <see cref="Serialize"/> wrote.</summary>
    /// <exception cref="System.IO.InvalidDataException">The text is not a tokenizer this library wrote.</exception>
    internal static TextTokenizer Deserialize(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var data = root.GetProperty("data");
            return root.GetProperty("kind").GetString() switch
            {
                WordVocabulary.KindName => WordVocabulary.FromData(data),
                WordPieceVocabulary.KindName => WordPieceVocabulary.FromData(data),
                BpeVocabulary.KindName => BpeVocabulary.FromData(data),
                var other => throw new System.IO.InvalidDataException($"'{other}' is not a tokenizer this version knows."),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new System.IO.InvalidDataException("The saved tokenizer cannot be read: " + e.Message, e);
        }
    }

    private protected abstract string Kind { get; }

    private protected abstract object Data();
}
