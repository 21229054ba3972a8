using System;

namespace DeclarativeDistill;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the training thread. Unlike
/// <see cref="Progress{T}"/>, which posts each report to the synchronization context (the thread pool in
/// a console app), reports arrive in order and before training goes on, e.g. to update a progress bar or
/// to cancel at a precise point.
/// </summary>
/// <example><code>
/// model.Fit(train, new TrainingOptions { Progress = new SynchronousProgress&lt;TrainingProgress&gt;(p => Console.WriteLine(p.Loss)) });
/// </code></example>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> handler;

    /// <summary>Calls <paramref name="handler"/> for every report.</summary>
    public SynchronousProgress(Action<T> handler)
    {
        this.handler = handler ?? throw new ArgumentNullException(nameof(handler));
    }

    /// <inheritdoc/>
    public void Report(T value) => handler(value);
}
