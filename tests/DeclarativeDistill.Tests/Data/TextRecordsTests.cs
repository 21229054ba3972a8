using System;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations.Text;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

/// <summary>Text records from files, tokenizers, and a text network trained on them that classifies strings.</summary>
public sealed class TextRecordsTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-textrecords-" + Guid.NewGuid().ToString("N"));

    public TextRecordsTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Csv_and_json_lines_records_are_read_with_quoted_texts_and_named_classes()
    {
        string csv = Write("mail.csv", "id,text,label\n1,\"Win money, now!\nReply\",spam\n2,Meeting at noon,ham\n3,\"He said \"\"hi\"\"\",ham\n");
        var records = TextRecords.FromCsv(csv);
        Assert.Equal(new[] { "Win money, now!\nReply", "Meeting at noon", "He said \"hi\"" }, records.Texts);
        Assert.Equal(new[] { "ham", "spam" }, records.ClassNames);
        Assert.Equal(new[] { 1, 0, 0 }, records.Labels);

        string jsonl = Write("tickets.jsonl", "{\"body\": \"printer jammed\", \"team\": 2}\n\n{\"body\": \"vpn down\", \"team\": 10}\n{\"body\": \"new laptop\", \"team\": 2}\n");
        var tickets = TextRecords.FromJsonLines(jsonl, new TextRecordOptions { Text = "body", Label = "team" });
        Assert.Equal(new[] { "2", "10" }, tickets.ClassNames); // numbers by value, not as text
        Assert.Equal(new[] { 0, 1, 0 }, tickets.Labels);
    }

    [Fact]
    public void Bad_records_are_refused_naming_the_file_and_line()
    {
        var missing = Assert.Throws<InvalidDataException>(() => TextRecords.FromCsv(Write("a.csv", "body,label\nhello,ham\n")));
        Assert.Contains("has no column 'text'; its columns are body, label", missing.Message);
        var empty = Assert.Throws<InvalidDataException>(() => TextRecords.FromCsv(Write("b.csv", "text,label\nhello,ham\n  ,spam\n")));
        Assert.Contains("b.csv, line 3: the text is empty", empty.Message);
        var json = Assert.Throws<InvalidDataException>(() => TextRecords.FromJsonLines(Write("c.jsonl", "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n")));
        Assert.Contains("c.jsonl, line 2: no property 'label'", json.Message);
        var broken = Assert.Throws<InvalidDataException>(() => TextRecords.FromJsonLines(Write("d.jsonl", "{\"text\": \"a\", \"label\": 1}\nnot json\n")));
        Assert.Contains("d.jsonl, line 2: not a JSON object", broken.Message);
    }

    [Fact]
    public void A_word_vocabulary_numbers_words_by_frequency_with_padding_and_unknown_first()
    {
        var vocabulary = WordVocabulary.Build(new[] { "The cat sat.", "the CAT ran", "a dog's bone" }, maxWords: 3);
        Assert.Equal(new[] { "cat", "the", "a" }, vocabulary.Words()); // 2, 2, then ties by text
        Assert.Equal(5, vocabulary.VocabularySize);
        Assert.Equal(new[] { 3, 2, WordVocabulary.Unknown }, vocabulary.Encode("The cat purred"));
        Assert.Equal(new float[] { 3, 2, 1, 0, 0 }, vocabulary.Encode("The cat purred", 5));
        Assert.Equal(new float[] { 3, 2 }, vocabulary.Encode("The cat purred", 2));
        Assert.Equal(new[] { "dog's" }, WordVocabulary.Build(new[] { "Dog's" }).Words());
    }

    [Fact]
    public void A_wordpiece_vocabulary_splits_words_into_pieces_as_bert_does()
    {
        string vocab = Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\nhello\nworld\n");
        var tokenizer = WordPieceVocabulary.FromFile(vocab);
        Assert.Equal(10, tokenizer.VocabularySize);
        Assert.Equal(new[] { 2, 5, 6, 7, 8, 1, 3 }, tokenizer.Encode("Unaffable hello xyzzy"));
        Assert.Contains("first token is not [PAD]", Assert.Throws<InvalidDataException>(() => WordPieceVocabulary.FromFile(Write("bad.txt", "[UNK]\n[PAD]\n[CLS]\n[SEP]\n[MASK]\n"))).Message);
        Assert.Contains("[MASK]", Assert.Throws<InvalidDataException>(() => WordPieceVocabulary.FromFile(Write("short.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n"))).Message);
    }

    [Fact]
    public void A_bpe_vocabulary_merges_pieces_and_keeps_id_0_for_the_padding()
    {
        string vocab = Write("vocab.json", "{\"h\": 0, \"e\": 1, \"l\": 2, \"o\": 3, \"he\": 4, \"ll\": 5, \"hell\": 6, \"hello\": 7, \"w\": 8, \"<unk>\": 9}");
        string merges = Write("merges.txt", "#version: 0.2\nh e\nl l\nhe ll\nhell o\n");
        var tokenizer = BpeVocabulary.FromFiles(vocab, merges, unknownToken: "<unk>");
        Assert.Equal(11, tokenizer.VocabularySize); // the file's 10 ids, shifted by one, and the padding
        Assert.Equal(new[] { 8 }, tokenizer.Encode("hello"));
        Assert.Equal(new[] { 5, 9 }, tokenizer.Encode("hew")); // he, w
        Assert.Equal(new float[] { 8, 0, 0 }, tokenizer.Encode("hello", 3));

        string path = Path.Combine(directory, "bpe-student.bin");
        using (var student = new SpamStudent())
        {
            student.UseTokenizer(tokenizer);
            student.Save(path);
        }
        using var loaded = SpamStudent.Load(path);
        Assert.Equal(new[] { 8 }, loaded.Tokenizer()!.Encode("hello"));
        Assert.Throws<InvalidDataException>(() => BpeVocabulary.FromFiles(Write("bad.json", "[1, 2]"), merges));
    }

    [Fact]
    public void A_text_teacher_and_student_train_on_records_and_classify_strings_after_a_reload()
    {
        var records = SpamRecords(600, seed: 5);
        var (trainRecords, testRecords) = records.Split(0.25, seed: 5);
        Assert.Equal(150, testRecords.Count);
        Assert.Equal(75, testRecords.Labels.Count(l => l == 1)); // stratified: half spam in each part
        var tokenizer = WordVocabulary.Build(trainRecords.Texts, maxWords: 198);
        using var train = trainRecords.Encode(tokenizer, SpamStudent.InputSize);
        using var test = testRecords.Encode(tokenizer, SpamStudent.InputSize);

        manual_seed(5);
        using var teacher = new SpamTeacher();
        teacher.Fit(train, new TrainingOptions { Epochs = 12, BatchSize = 32, LearningRate = 0.05, Seed = 5 });
        Assert.True(teacher.Evaluate(test).Accuracy > 0.95, $"teacher {teacher.Evaluate(test).Accuracy:P1}");
        using var student = new SpamStudent();
        student.Distill(teacher, train, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 0.1, Seed = 5 });
        Assert.True(student.Evaluate(test).Accuracy > 0.95, $"student {student.Evaluate(test).Accuracy:P1}");

        Assert.Same(tokenizer, student.Tokenizer());
        Assert.Equal("spam", student.Classify("Claim your free prize money now").ClassName);
        Assert.Equal("ham", student.Classify("Agenda for the project meeting on Monday").ClassName);

        string path = Path.Combine(directory, "student.bin");
        student.Save(path);
        using var loaded = SpamStudent.Load(path);
        Assert.Equal(tokenizer.Words(), ((WordVocabulary)loaded.Tokenizer()!).Words());
        var before = student.Classify("free money meeting");
        var after = loaded.Classify("free money meeting");
        Assert.Equal(before.Class, after.Class);
        Assert.Equal(before.Probabilities, after.Probabilities);

        // The exported file carries the tokenizer in its metadata, and classifies the encoded string as the network does.
        string onnx = Path.Combine(directory, "student.onnx");
        loaded.ExportOnnx(onnx);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx))
        {
            var fromFile = TextTokenizer.FromJson(session.ModelMetadata.CustomMetadataMap["tokenizer"]);
            Assert.Equal(tokenizer.Words(), ((WordVocabulary)fromFile).Words());
            using var results = session.Run(OnnxInputs.Tokens(fromFile.Encode("free money meeting", SpamStudent.InputSize), 1, SpamStudent.InputSize));
            float[] logits = results.Single().AsTensor<float>().ToArray();
            Assert.Equal(after.Class, logits[1] > logits[0] ? 1 : 0);
        }

        using var plain = new SpamStudent();
        Assert.Throws<InvalidOperationException>(() => plain.Classify("hello"));
        var tooLarge = WordVocabulary.Build(Enumerable.Range(0, 300).Select(i => "word" + i));
        var refused = Assert.Throws<ArgumentException>(() => plain.UseTokenizer(tooLarge));
        Assert.Contains("declare tokens(302, 16) or more", refused.Message);
    }

    /// <summary>Messages of 6 to 20 words: spam mixes offer words into filler, ham meeting words.</summary>
    internal static TextRecords SpamRecords(int count, int seed)
    {
        string[] offers = { "win", "free", "money", "prize", "claim", "cash", "offer", "now", "urgent", "winner" };
        string[] work = { "meeting", "agenda", "project", "report", "monday", "schedule", "review", "team", "notes", "budget" };
        string[] filler = Enumerable.Range(0, 120).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var random = new Random(seed);
        var texts = new string[count];
        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            bool spam = i % 2 == 0;
            var words = Enumerable.Range(0, random.Next(6, 21))
                .Select(_ => random.NextDouble() < 0.3 ? (spam ? offers : work)[random.Next(10)] : filler[random.Next(filler.Length)]);
            texts[i] = string.Join(' ', words) + (spam ? " " + offers[random.Next(10)] : " " + work[random.Next(10)]);
            labels[i] = spam ? "spam" : "ham";
        }
        return TextRecords.From(texts, labels, "synthetic mail");
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
