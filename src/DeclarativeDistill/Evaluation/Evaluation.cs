namespace DeclarativeDistill;

/// <summary>How a model does on a labeled test set, predicting at temperature 1.</summary>
/// <param name="Accuracy">Fraction of examples whose most probable class is the label, 0..1.</param>
/// <param name="Errors">Examples misclassified.</param>
/// <param name="Count">Examples evaluated.</param>
/// <param name="Loss">Mean cross-entropy against the labels.</param>
public sealed record Evaluation(double Accuracy, int Errors, int Count, double Loss)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Errors} errors of {Count} ({Accuracy:P2}), loss {Loss:G4}";
}
