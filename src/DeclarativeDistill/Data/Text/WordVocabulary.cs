using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DeclarativeDistill;

/// <summary>
/// A vocabulary of words built from training texts: text is lower-cased and split into words (letters, digits and
/// apostrophes inside a word); id 0 is the padding, 1 every word not in the vocabulary, then the words from the most
/// frequent (ties by their text, so that the same texts always give the same ids).
/// </summary>
public sealed partial class WordVocabulary : TextTokenizer
{
    internal const string KindName = "words";

    /// <summary>The id of a word not in the vocabulary.</summary>
    public const int Unknown = 1;

    private readonly string[] words;
    private readonly Dictionary<string, int> ids;

    private WordVocabulary(string[] words)
    {
        this.words = words;
        ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
        {
            ids[words[i]] = i + 2;
        }
    }

    /// <summary>
    /// The <paramref name="maxWords"/> most frequent words of <paramref name="texts"/> that occur at least
    /// <paramref name="minCount"/> times.
    /// </summary>
    public static WordVocabulary Build(IEnumerable<string> texts, int maxWords = 20000, int minCount = 1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWords);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCount);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            foreach (string word in Words(text))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }
        var chosen = counts.Where(c => c.Value >= minCount)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(maxWords).Select(c => c.Key).ToArray();
        return new WordVocabulary(chosen);
    }

    /// <summary>The words, by id from 2.</summary>
    public IReadOnlyList<string> Words() => words;

    /// <inheritdoc/>
    public override int VocabularySize => words.Length + 2;

    /// <inheritdoc/>
    public override IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Words(text).Select(w => ids.TryGetValue(w, out int id) ? id : Unknown).ToList();
    }

    /// <summary>The words of <paramref name="text"/>, lower-cased.</summary>
    internal static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLower(CultureInfo.InvariantCulture));

    private protected override string Kind => KindName;

    private protected override object Data() => words;

    internal static WordVocabulary FromData(JsonElement data) =>
        new(data.EnumerateArray().Select(w => w.GetString() ?? throw new InvalidOperationException("A word is null.")).ToArray());

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*")]
    private static partial Regex WordPattern();
}
