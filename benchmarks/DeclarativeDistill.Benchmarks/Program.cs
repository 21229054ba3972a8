using System;
using BenchmarkDotNet.Running;
using DeclarativeDistill.Benchmarks;

// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- --filter '*'    (generator, BenchmarkDotNet)
// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- training 9     (training engine, 9 repetitions)
// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- training 9 gemm    (one part: handwritten, marginal, gemm, memory, conv, hints, cache, text)
// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- inference 9    (teacher vs student, TorchSharp vs ONNX Runtime)
// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- data 7    (data from disk against data in memory)
// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- generator-edit 15    (the edit, its floor and the transforms alone, interleaved)
if (args is ["inference", ..])
{
    DeclarativeDistill.Benchmarks.Inference.InferenceBenchmarks.Run(
        repetitions: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}
if (args is ["data", ..])
{
    DeclarativeDistill.Benchmarks.Data.DataBenchmarks.Run(
        repetitions: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}
if (args is ["generator-edit", ..])
{
    DeclarativeDistill.Benchmarks.InterleavedEditBenchmark.Run(
        rounds: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
    return;
}
if (args is ["training", ..])
{
    DeclarativeDistill.Benchmarks.Training.TrainingBenchmarks.Run(
        repetitions: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5,
        only: args.Length > 2 ? args[2] : null);
    return;
}
foreach (string architectures in new[] { "mlp", "conv" })
{
    var check = new GeneratorBenchmarks { Architectures = architectures };
    check.Setup();
    Console.WriteLine($"Generator benchmark ({architectures}): {GeneratorBenchmarks.Namespaces * GeneratorBenchmarks.DeclarationsPerNamespace} declarations, "
        + $"{check.GeneratedFiles()} generated files, {check.Errors()} errors, on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
