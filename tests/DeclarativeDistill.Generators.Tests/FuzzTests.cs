using System;
using System.Globalization;
using System.Linq;
using System.Text;
using DeclarativeDistill.Generators.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>
/// The generator never throws: thousands of random declarations and half-typed files (what an editor
/// hands the generator between keystrokes) must give diagnostics, never an exception, CS8785 or DD9999.
/// Each test runs a fixed list of seeds (the same in every CI run) and one random seed, which it prints;
/// replay a failure with DD_FUZZ_SEED=&lt;seed&gt;, which replaces the random one.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Declarations = 500;
    private const int Truncations = 200;

    /// <summary>Fixed seeds, then the random one (or DD_FUZZ_SEED).</summary>
    public static TheoryData<int> Seeds() => new() { 1, 2, 3, RandomSeed };

    private static readonly int RandomSeed =
        int.TryParse(Environment.GetEnvironmentVariable("DD_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int fixedSeed)
            ? fixedSeed
            : Environment.TickCount;

    private static readonly string[] LayerPieces = { "784", "10", "0", "-3", "1", "2147483647", "2147483648", "99999999999", ",", ",", ",", " ", "\t", "\n", "x", "+5", "1.5", "", "٣", "1e3", "  ,", "0x10" };
    private static readonly string[] Doubles = { "0", "-0.0", "1", "0.5", "0.9", "20", "-1", "1.5", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "double.Epsilon", "1e308", "-1e-300", "4", "(double)int.MaxValue" };
    private static readonly string[] Activations = { "Activation.ReLU", "Activation.Tanh", "Activation.GELU", "Activation.Sigmoid", "(Activation)42", "(Activation)(-1)", "0" };
    private static readonly string[] Names = { "A", "B", "C", "D", "Missing", "System.String", "int", "System.Collections.Generic.List<>", "Outer.Inner" };
    private static readonly string[] Modifiers = { "public partial class", "partial class", "public class", "public static partial class", "public partial record", "public sealed partial class", "internal abstract partial class" };

    [Theory]
    [MemberData(nameof(Seeds), DisableDiscoveryEnumeration = true)]
    public void Random_declarations_never_crash_the_generator(int seed)
    {
        Print(seed);
        var random = new Random(seed);
        for (int i = 0; i < Declarations; i++)
        {
            string source = RandomProgram(random);
            Check(GeneratorHarness.Run(source), seed, i, source);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds), DisableDiscoveryEnumeration = true)]
    public void Half_typed_files_never_crash_the_generator(int seed)
    {
        Print(seed);
        var random = new Random(seed);
        string complete = SnapshotTests.Declarations.Select(row => (string)row[1]).Aggregate((a, b) => a + "\n" + b.Replace("using DeclarativeDistill;", ""));
        for (int i = 0; i < Truncations; i++)
        {
            string source = random.Next(3) switch
            {
                0 => complete[..random.Next(complete.Length)],
                1 => complete.Remove(random.Next(complete.Length - 20), random.Next(1, 20)),
                _ => complete.Insert(random.Next(complete.Length), Pick(random, new[] { "[", "(", "\"", ",", "typeof(", "Distill", "}", "=" })),
            };
            Check(GeneratorHarness.Run(source), seed, i, source);
        }
    }

    private static readonly string[] Inputs = { "1x28x28", "3x32x32", "784", "1x1x1", "2x3x4", "1x28", "0x28x28", "1x28x28x3", "x", "3X32X32", "1x2147483647x2" };
    private static readonly string[] Items =
    {
        "conv(32, 3)", "conv(8, 5, pad: 2)", "conv(16, 3, stride: 2, pad: 1)", "dwconv(3)", "dwconv(3, pad: 1)", "maxpool(2)", "avgpool(3, stride: 2)",
        "bn", "res(16)", "res(32, stride: 2)", "gap", "flatten", "dropout(0.25)", "128", "10", "1",
        "conv(", "conv(32,", "conv(32, 3", "conv)", "conv(())", "conv(32, 3, stride: )", "conv(32, 3, : 2)", "conv(-1, 3)", "conv(99999999999, 3)",
        "maxpool(0)", "dropout(1)", "dropout(.5)", "dropout(abc)", "res()", "bn()", "gap(2)", "Conv(3, 3)", "pool(2)", "conv (8, 3)",
        "conv(8, 3, stride: 2, stride: 3)", "conv(2147483647, 2147483647)", "1x28x28", "", " ", "((", "))", ",", "dwconv(2147483647, pad: 2147483647)",
    };

    [Theory]
    [MemberData(nameof(Seeds), DisableDiscoveryEnumeration = true)]
    public void Random_architectures_never_crash_the_generator(int seed)
    {
        Print(seed);
        var random = new Random(seed);
        for (int i = 0; i < Declarations; i++)
        {
            var items = new System.Collections.Generic.List<string> { Pick(random, Inputs) };
            items.AddRange(Enumerable.Range(0, random.Next(12)).Select(_ => Pick(random, Items)));
            if (random.Next(2) == 0)
            {
                items.Add(Pick(random, new[] { "10", "4", "gap" }));
            }
            string layers = string.Join(Pick(random, new[] { ",", ", ", " ,", ",," }), items);
            if (random.Next(4) == 0)
            {
                layers = layers[..random.Next(layers.Length + 1)]; // half-typed
            }
            string source = $$"""
                using DeclarativeDistill;
                namespace N;
                [Teacher(Layers = "1x28x28, conv(8, 3), maxpool(2), 10")] public partial class T { }
                [Student(Layers = "{{layers}}", Dropout = {{Pick(random, new[] { "0", "0.5" })}})] [Distill] public partial class S { }
                """;
            var result = GeneratorHarness.Run(source);
            Check(result, seed, i, source);
            Assert.DoesNotContain(result.CompilerDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Id.StartsWith("CS", StringComparison.Ordinal));
        }
    }

    private void Print(int seed) => output.WriteLine($"DD_FUZZ_SEED={seed}");

    private static void Check(GeneratorHarness.Result result, int seed, int iteration, string source)
    {
        var internalError = result.Diagnostics.FirstOrDefault(d => d.Id == "DD9999");
        if (result.GeneratorCrashed || internalError is not null)
        {
            throw new Xunit.Sdk.XunitException(
                $"Generator failure at iteration {iteration} (replay with DD_FUZZ_SEED={seed}): " +
                $"{internalError?.GetMessage(CultureInfo.InvariantCulture) ?? string.Join("; ", result.RunResult.Results.Select(r => r.Exception?.ToString()))}\n--- source ---\n{source}");
        }
    }

    private static string RandomProgram(Random random)
    {
        var text = new StringBuilder("using DeclarativeDistill;\n");
        if (random.Next(4) > 0)
        {
            text.Append("namespace N").Append(random.Next(2)).Append(";\n");
        }
        text.Append("public partial class Outer { ").Append(RandomClass(random, "Inner")).Append(" }\n");
        foreach (string name in new[] { "A", "B", "C", "D" })
        {
            text.Append(RandomClass(random, name)).Append('\n');
        }
        return text.ToString();
    }

    private static string RandomClass(Random random, string name)
    {
        var attributes = new StringBuilder();
        if (random.Next(2) == 0)
        {
            attributes.Append("[Teacher").Append(RandomNetworkArguments(random)).Append(']');
        }
        if (random.Next(2) == 0)
        {
            attributes.Append("[Student").Append(RandomNetworkArguments(random)).Append(']');
        }
        if (random.Next(2) == 0)
        {
            var arguments = Enumerable.Range(0, random.Next(4)).Select(_ => $"typeof({Pick(random, Names)})").ToList();
            foreach (string property in new[] { "Temperature", "Alpha", "Beta" })
            {
                if (random.Next(2) == 0)
                {
                    arguments.Add($"{property} = {Pick(random, Doubles)}");
                }
            }
            attributes.Append("[Distill").Append(arguments.Count == 0 ? "" : "(" + string.Join(", ", arguments) + ")").Append(']');
        }
        string typeParameters = random.Next(10) == 0 ? "<TItem>" : "";
        string baseType = random.Next(10) == 0 ? " : System.Exception" : "";
        return $"{attributes} {Pick(random, Modifiers)} {name}{typeParameters}{baseType} {{ }}";
    }

    private static string RandomNetworkArguments(Random random)
    {
        var arguments = new System.Collections.Generic.List<string>();
        if (random.Next(5) > 0)
        {
            string layers = string.Concat(Enumerable.Range(0, random.Next(8)).Select(_ => Pick(random, LayerPieces)));
            arguments.Add($"Layers = \"{layers.Replace("\n", "\\n").Replace("\t", random.Next(2) == 0 ? "\\t" : "\t")}\"");
        }
        if (random.Next(3) == 0)
        {
            arguments.Add($"Activation = {Pick(random, Activations)}");
        }
        if (random.Next(3) == 0)
        {
            arguments.Add($"Dropout = {Pick(random, Doubles)}");
        }
        return arguments.Count == 0 ? "" : "(" + string.Join(", ", arguments) + ")";
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
