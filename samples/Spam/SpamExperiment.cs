using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclarativeDistill;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Samples.Spam;

/// <summary>
/// The corpus split by the seed (a fifth for testing, stratified); a word vocabulary built from the training messages;
/// the teacher trained on labels; the student trained twice from the same initial weights, on labels alone and
/// distilled; then each network's test errors, size and the latency of classifying one message (a string) in
/// TorchSharp and in ONNX Runtime.
/// </summary>
internal static class SpamExperiment
{
    public static int Run(string? dataDirectory, int teacherEpochs, int studentEpochs, int seed, int threads)
    {
        set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        var records = Corpus.Read(Corpus.Locate(dataDirectory));
        var (trainRecords, testRecords) = records.Split(0.2, seed);
        var tokenizer = WordVocabulary.Build(trainRecords.Texts, maxWords: 19998); // with the padding and the unknown word: tokens(20000, ...)
        using var train = trainRecords.Encode(tokenizer, SpamStudent.InputSize);
        using var test = testRecords.Encode(tokenizer, SpamStudent.InputSize);
        Console.WriteLine(FormattableString.Invariant(
            $"SpamAssassin public corpus ({Corpus.Package}; data PDDL 1.0 / CC0): {records.Count:N0} messages, {records.Labels.Count(l => l == 1):N0} spam; seed {seed}: {trainRecords.Count:N0} to train, {testRecords.Count:N0} to test; vocabulary {tokenizer.VocabularySize:N0} ids; {threads} threads."));

        var options = new TrainingOptions { BatchSize = 32, LearningRate = 0.05, Seed = seed };
        manual_seed(seed);
        using var teacher = new SpamTeacher();
        teacher.Fit(train, options with { Epochs = teacherEpochs, Progress = new ConsoleProgress("teacher") });

        manual_seed(seed);
        using var alone = new SpamStudent();
        alone.Fit(train, options with { Epochs = studentEpochs, LearningRate = 0.2, Progress = new ConsoleProgress("student, hard labels") });
        manual_seed(seed);
        using var distilled = new SpamStudent();
        distilled.Distill(teacher, train, options with { Epochs = studentEpochs, LearningRate = 0.2, Progress = new ConsoleProgress("student, distilled") });

        string directory = Directory.CreateTempSubdirectory("dd-spam-models-").FullName;
        try
        {
            var rows = new List<string>();
            foreach (var (name, network) in new (string, IGeneratedNetwork)[]
            {
                ($"Teacher {SpamTeacher.Architecture}", teacher),
                ($"Student {SpamStudent.Architecture}, hard labels", alone),
                ($"Student, distilled (T = {SpamStudent.Objective.Temperature}, α = {SpamStudent.Objective.Alpha})", distilled),
            })
            {
                rows.Add(Row(name, network, test, testRecords.Texts, directory));
            }
            Console.WriteLine();
            Console.WriteLine($"Test set: {test.Count:N0} messages. Latency: median time to classify one message (a string: tokenized, then the network), over 200.");
            Console.WriteLine();
            Console.WriteLine("| Model | Parameters | Size | Test errors | Accuracy | Latency, TorchSharp | Latency, ONNX Runtime |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"The run took {clock.Elapsed.TotalMinutes:F1} min."));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return 0;
    }

    private static string Row(string name, IGeneratedNetwork network, LabeledDataset test, IReadOnlyList<string> texts, string directory)
    {
        var evaluation = network.Evaluate(test);
        string weights = Path.Combine(directory, network.GetType().Name + name.GetHashCode().ToString("x", CultureInfo.InvariantCulture) + ".bin");
        network.Save(weights);
        string onnx = Path.ChangeExtension(weights, ".onnx");
        network.ExportOnnx(onnx);
        long parameters = ((TorchSharp.torch.nn.Module)network).parameters().Sum(p => p.numel());
        var tokenizer = network.Tokenizer()!;
        int length = network.Description.Input.Size;

        var torchLatency = Median(texts, text => network.Classify(text));
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var session = new InferenceSession(onnx, options);
        var onnxLatency = Median(texts, text =>
        {
            using var results = session.Run(OnnxInputs.Tokens(tokenizer.Encode(text, length), 1, length));
        });
        return FormattableString.Invariant(
            $"| {name} | {parameters:N0} | {new FileInfo(weights).Length / 1048576.0:F2} MB | {evaluation.Errors} | {evaluation.Accuracy:P2} | {Time(torchLatency)} | {Time(onnxLatency)} |");
    }

    /// <summary>The median time of classifying one message, over 200 messages after 20 to warm up.</summary>
    private static TimeSpan Median(IReadOnlyList<string> texts, Action<string> classify)
    {
        for (int i = 0; i < 20; i++)
        {
            classify(texts[i % texts.Count]);
        }
        var times = new double[200];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            classify(texts[i % texts.Count]);
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return TimeSpan.FromSeconds(times[times.Length / 2]);
    }

    private static string Time(TimeSpan time) => time.TotalMilliseconds >= 1
        ? time.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms"
        : (time.TotalMilliseconds * 1000).ToString("F0", CultureInfo.InvariantCulture) + " µs";
}
