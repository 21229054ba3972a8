using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations.Text;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>Every form of every network's export, passed through the ONNX project's checker.</summary>
public sealed class OnnxCheckerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dd-checker-" + Guid.NewGuid().ToString("N"));

    public OnnxCheckerTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static List<string> Names => ((IEnumerable<object[]>)OnnxExportTests.Networks).Select(row => (string)row[0]).ToList();

    [SkippableFact]
    public void Every_export_form_of_every_network_passes_the_onnx_checker()
    {
        Skip.If(OnnxChecker.Unavailable is not null, OnnxChecker.Unavailable);
        var paths = new List<string>();
        foreach (string name in Names)
        {
            manual_seed(10);
            var (model, export, inputSize, outputSize) = OnnxExportTests.Create(name);
            using (model)
            {
                OnnxExportTests.WarmUpBatchNorm(model, inputSize);
                foreach (var weights in Enum.GetValues<OnnxWeights>())
                {
                    paths.Add(Path.Combine(directory, $"{name}.{weights}.onnx"));
                    export(paths[^1], weights);
                }
                var network = (IGeneratedNetwork)model;
                using var features = randn(network.Description.Input.BatchShape(64));
                using var labels = zeros(64, dtype: ScalarType.Int64);
                using var data = new LabeledDataset(features, labels, outputSize);
                paths.Add(Path.Combine(directory, $"{name}.calibrated.onnx"));
                network.ExportOnnx(paths[^1], new Calibration(data) { Method = CalibrationMethod.Entropy, KeepFloat = Array.Empty<string>() });
            }
        }

        // Text networks: token ids and a mask in, every form, the calibrated one quantizing every layer it can.
        foreach (var network in new IGeneratedNetwork[] { new LstmTextTeacher(), new ConvTextStudent(), new GruTextStudent(), new LstmTextStudent(), new TransformerTextStudent() })
        {
            foreach (var weights in Enum.GetValues<OnnxWeights>())
            {
                paths.Add(Path.Combine(directory, $"{network.GetType().Name}.{weights}.onnx"));
                network.ExportOnnx(paths[^1], weights);
            }
            using var ids = randint(1, 40, new long[] { 64, 12 }).to_type(ScalarType.Float32);
            using var labels = zeros(64, dtype: ScalarType.Int64);
            using var texts = new LabeledDataset(ids, labels, 3);
            paths.Add(Path.Combine(directory, $"{network.GetType().Name}.calibrated.onnx"));
            network.ExportOnnx(paths[^1], new Calibration(texts) { KeepFloat = Array.Empty<string>() });
            ((IDisposable)network).Dispose();
        }

        var verdicts = OnnxChecker.Check(paths);
        var failures = verdicts.Where(v => v.Value is not null).Select(v => v.Value).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Names.Count * (Enum.GetValues<OnnxWeights>().Length + 1) + 5 * (Enum.GetValues<OnnxWeights>().Length + 1), verdicts.Count);
    }
}
