using System;
using System.IO;

namespace DeclarativeDistill;

/// <summary>
/// Prints progress as lines on the console (or any <see cref="TextWriter"/>): one when each epoch and each phase ends, and
/// at most one every <see cref="ProgressLines.Interval"/> in between.
/// </summary>
/// <example><c>teacher.Fit(train, new TrainingOptions { Epochs = 10, Progress = new ConsoleProgress() });</c></example>
public sealed class ConsoleProgress : ProgressLines
{
    private readonly TextWriter writer;
    private readonly string? name;

    /// <param name="name">What is being trained, put before every line (e.g. <c>teacher</c>); none by default.</param>
    /// <param name="writer">Where the lines go; <see cref="Console.Out"/> by default.</param>
    public ConsoleProgress(string? name = null, TextWriter? writer = null)
    {
        this.name = name;
        this.writer = writer ?? Console.Out;
    }

    /// <inheritdoc/>
    protected override void Write(TrainingProgress report, string line) =>
        writer.WriteLine(name is null ? line : $"{name}: {line}");
}
