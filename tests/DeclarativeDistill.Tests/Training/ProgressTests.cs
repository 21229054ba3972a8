using System;
using System.IO;
using System.Linq;
using DeclarativeDistill.Tests.Declarations;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Training;

/// <summary>The ready reporters: lines for every phase and epoch, throttled by time, the ILogger one with structured values; and the Threads option.</summary>
public sealed class ProgressTests
{
    [Fact]
    public void The_console_reporter_writes_the_cache_pass_and_every_epoch_and_throttles_within_them()
    {
        using var data = SyntheticData.Create(200, seed: 111);
        manual_seed(112);
        using var teacher = new ClusterTeacher();
        var teacherLines = new StringWriter();
        teacher.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Progress = new ConsoleProgress("teacher", teacherLines) { Interval = TimeSpan.Zero } });
        var lines = teacherLines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * 13, lines.Length); // every batch, with no interval: 13 batches of 16 (the last of 8)
        Assert.StartsWith("teacher: training epoch 1/2, batch 1/13: loss ", lines[0]);
        Assert.Contains(" examples/s, ", lines[0]);
        Assert.EndsWith(" elapsed", lines[^1].Trim()); // the last line has nothing left

        var studentLines = new StringWriter();
        using var student = new ClusterStudent();
        student.Distill(teacher, data, new TrainingOptions { Epochs = 3, BatchSize = 16, Progress = new ConsoleProgress(writer: studentLines) });
        var written = studentLines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, written.Length); // the cache pass's end and each epoch's: the 10 s interval never passed
        Assert.StartsWith("caching teacher outputs: 2/2 chunks, ", written[0]);
        Assert.StartsWith("training epoch 3/3, batch 13/13: loss ", written[3]);
        Assert.Contains("(soft ", written[3]);
    }

    [Fact]
    public void The_logger_reporter_logs_information_with_structured_values()
    {
        using var data = SyntheticData.Create(64, seed: 113);
        var logger = new ListLogger();
        using var teacher = new ClusterTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16, Progress = new LoggerProgress(logger) });
        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, e.Level));
        var last = logger.Entries[^1].Values.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(2, last["Epoch"]);
        Assert.Equal("training", last["Phase"]);
        Assert.IsType<double>(last["Loss"]);
    }

    [Fact]
    public void Threads_set_libtorch_for_the_call_and_are_restored_after_it()
    {
        using var data = SyntheticData.Create(64, seed: 114);
        int before = get_num_threads();
        int during = 0;
        using var teacher = new ClusterTeacher();
        teacher.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16, Threads = 1, Progress = new SynchronousProgress<TrainingProgress>(_ => during = get_num_threads()) });
        Assert.Equal(1, during);
        Assert.Equal(before, get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => teacher.Fit(data, new TrainingOptions { Threads = 0 }));
    }

    [Fact]
    public void Features_far_from_unit_scale_are_a_warning_unless_the_network_normalises_them()
    {
        using var data = SyntheticData.Create(64, seed: 115);
        using var raw = new LabeledDataset(data.Features * 300 + 1000, data.Labels.clone());
        var lines = new StringWriter();
        using var plain = new ClusterTeacher();
        var report = plain.Fit(raw, new TrainingOptions { Epochs = 1, BatchSize = 16, Progress = new ConsoleProgress(writer: lines) });
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("far from unit scale", warning);
        Assert.Contains("InputNormalization = Normalization.Fit(train)", warning);
        Assert.StartsWith("warning: The features of in memory are far from unit scale: feature ", lines.ToString());

        using var normalising = new ClusterTeacher { InputNormalization = Normalization.Fit(raw) };
        Assert.Empty(normalising.Fit(raw, new TrainingOptions { Epochs = 1, BatchSize = 16 }).Warnings);
        using var unit = new ClusterTeacher();
        Assert.Empty(unit.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16 }).Warnings);
    }

    [Fact]
    public void Evaluation_and_fidelity_report_their_passes_as_phases()
    {
        using var data = SyntheticData.Create(300, seed: 116);
        manual_seed(117);
        using var teacher = new ClusterTeacher();
        using var student = new EnsembleStudent();
        using var other = new OtherTeacher();
        var reports = new System.Collections.Generic.List<TrainingProgress>();
        var progress = new SynchronousProgress<TrainingProgress>(reports.Add);

        var evaluation = teacher.Evaluate(data, progress);
        var last = Assert.Single(reports);
        Assert.Equal(TrainingPhases.Evaluation, last.Phase);
        Assert.Equal((3, 3), (last.Batch, last.BatchesPerEpoch)); // 300 examples, 128 a chunk
        Assert.Equal(evaluation, teacher.Evaluate(data));

        reports.Clear();
        var lines = new StringWriter();
        student.MeasureFidelity(teacher, other, data, new ConsoleProgress(writer: lines) { Interval = TimeSpan.Zero });
        Assert.Equal(
            Enumerable.Range(1, 9).Select(done => $"fidelity: {done}/9 chunks"),
            lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(',')]));
    }

    /// <summary>An ILogger that keeps what it is given.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Generic.List<(Microsoft.Extensions.Logging.LogLevel Level, string Message, System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, object?>> Values)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), state as System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, object?>> ?? Array.Empty<System.Collections.Generic.KeyValuePair<string, object?>>()));
    }
}
