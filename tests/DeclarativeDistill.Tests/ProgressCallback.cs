using System;

namespace DeclarativeDistill.Tests;

/// <summary>Reports progress synchronously on the training thread (System.Progress would post to the thread pool).</summary>
internal sealed class ProgressCallback(Action<TrainingProgress> action) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => action(value);
}
