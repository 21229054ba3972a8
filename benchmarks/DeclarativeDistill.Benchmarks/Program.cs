using System;
using BenchmarkDotNet.Running;
using DeclarativeDistill.Benchmarks;

// dotnet run -c Release --project benchmarks/DeclarativeDistill.Benchmarks -- --filter '*'
var check = new GeneratorBenchmarks();
check.Setup();
Console.WriteLine($"Generator benchmark: {GeneratorBenchmarks.Namespaces * GeneratorBenchmarks.DeclarationsPerNamespace} declarations, "
    + $"{check.GeneratedFiles()} generated files on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
