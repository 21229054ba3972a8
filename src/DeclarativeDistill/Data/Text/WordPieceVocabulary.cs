using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace DeclarativeDistill;

/// <summary>
/// BERT's WordPiece tokenization (Microsoft.ML.Tokenizers' <c>BertTokenizer</c>) over a vocabulary file as BERT models
/// ship it (<c>vocab.txt</c>, one token per line, <c>[PAD]</c> first so that id 0 is the padding): <c>[CLS]</c>, the
/// word pieces, <c>[SEP]</c>.
/// </summary>
public sealed class WordPieceVocabulary : TextTokenizer
{
    internal const string KindName = "wordpiece";

    private readonly string vocabulary;
    private readonly bool lowerCase;
    private readonly BertTokenizer tokenizer;

    private WordPieceVocabulary(string vocabulary, bool lowerCase)
    {
        if (!vocabulary.StartsWith("[PAD]", StringComparison.Ordinal))
        {
            throw new InvalidDataException("The vocabulary's first token is not [PAD]: id 0 must be the padding.");
        }
        this.vocabulary = vocabulary;
        this.lowerCase = lowerCase;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(vocabulary));
        try
        {
            tokenizer = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = lowerCase });
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("The vocabulary is not a BERT vocabulary: " + e.Message, e);
        }
        VocabularySize = vocabulary.Split('\n').Count(line => line.Length > 0);
    }

    /// <summary>The vocabulary file of a BERT model (<c>vocab.txt</c>).</summary>
    /// <param name="path">One token per line, <c>[PAD]</c> first.</param>
    /// <param name="lowerCase">Whether text is lower-cased first, as uncased models need.</param>
    public static WordPieceVocabulary FromFile(string path, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Vocabulary file not found: {path}", path);
        }
        return new WordPieceVocabulary(File.ReadAllText(path).Replace("\r\n", "\n"), lowerCase);
    }

    /// <inheritdoc/>
    public override int VocabularySize { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return tokenizer.EncodeToIds(text);
    }

    private protected override string Kind => KindName;

    private protected override object Data() => new Dictionary<string, object> { ["vocabulary"] = vocabulary, ["lowerCase"] = lowerCase };

    internal static WordPieceVocabulary FromData(JsonElement data) =>
        new(data.GetProperty("vocabulary").GetString()!, data.GetProperty("lowerCase").GetBoolean());
}
