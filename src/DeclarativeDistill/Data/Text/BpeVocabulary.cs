using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace DeclarativeDistill;

/// <summary>
/// Byte-pair encoding (Microsoft.ML.Tokenizers' <c>BpeTokenizer</c>) over a vocabulary as BPE models ship it: a JSON
/// file of token → id and a merges file of token pairs. Such vocabularies give id 0 to an ordinary token, so every id
/// here is the file's plus one, and 0 stays the padding.
/// </summary>
public sealed class BpeVocabulary : TextTokenizer
{
    internal const string KindName = "bpe";

    private readonly string vocabulary;
    private readonly string merges;
    private readonly string? unknownToken;
    private readonly BpeTokenizer tokenizer;

    private BpeVocabulary(string vocabulary, string merges, string? unknownToken)
    {
        this.vocabulary = vocabulary;
        this.merges = merges;
        this.unknownToken = unknownToken;
        int largest;
        try
        {
            using var document = JsonDocument.Parse(vocabulary);
            largest = document.RootElement.EnumerateObject().Max(p => p.Value.GetInt32());
            using var vocabularyStream = new MemoryStream(Encoding.UTF8.GetBytes(vocabulary));
            using var mergesStream = new MemoryStream(Encoding.UTF8.GetBytes(merges));
            tokenizer = BpeTokenizer.Create(vocabularyStream, mergesStream, unknownToken: unknownToken);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("The files are not a BPE vocabulary and its merges: " + e.Message, e);
        }
        VocabularySize = largest + 2; // ids shifted by one, and the padding
    }

    /// <summary>A BPE vocabulary (<c>vocab.json</c>) and its merges (<c>merges.txt</c>).</summary>
    /// <param name="vocabularyPath">JSON: each token and its id.</param>
    /// <param name="mergesPath">One merge per line, two tokens separated by a space (a first line starting with <c>#</c> is a comment).</param>
    /// <param name="unknownToken">The token for pieces the vocabulary lacks (<c>&lt;unk&gt;</c>), or null to leave them out.</param>
    public static BpeVocabulary FromFiles(string vocabularyPath, string mergesPath, string? unknownToken = null)
    {
        ArgumentNullException.ThrowIfNull(vocabularyPath);
        ArgumentNullException.ThrowIfNull(mergesPath);
        foreach (string path in new[] { vocabularyPath, mergesPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"BPE file not found: {path}", path);
            }
        }
        return new BpeVocabulary(File.ReadAllText(vocabularyPath), File.ReadAllText(mergesPath), unknownToken);
    }

    /// <inheritdoc/>
    public override int VocabularySize { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return tokenizer.EncodeToIds(text).Select(id => id + 1).ToList();
    }

    private protected override string Kind => KindName;

    private protected override object Data() => new Dictionary<string, object?> { ["vocabulary"] = vocabulary, ["merges"] = merges, ["unknown"] = unknownToken };

    internal static BpeVocabulary FromData(JsonElement data) =>
        new(data.GetProperty("vocabulary").GetString()!, data.GetProperty("merges").GetString()!,
            data.TryGetProperty("unknown", out var unknown) && unknown.ValueKind == JsonValueKind.String ? unknown.GetString() : null);
}
