using System.Collections.Generic;
using System.Globalization;
using Spectre.Console;

namespace Samples.Mnist;

/// <summary>Prints the comparison as a table.</summary>
public static class ResultsTable
{
    public static void Write(IReadOnlyList<Result> results, int testCount)
    {
        var table = new Table()
            .Title($"Test set: {testCount:N0} images")
            .AddColumn("Model")
            .AddColumn(new TableColumn("Parameters").RightAligned())
            .AddColumn(new TableColumn("Multiply-adds").RightAligned())
            .AddColumn(new TableColumn("Test errors").RightAligned())
            .AddColumn(new TableColumn("Accuracy").RightAligned())
            .AddColumn(new TableColumn("Agrees with teacher").RightAligned())
            .AddColumn(new TableColumn("KL(teacher ‖ model)").RightAligned())
            .AddColumn(new TableColumn("Training time").RightAligned())
            .AddColumn(new TableColumn("Latency, 1 image").RightAligned());
        foreach (var result in results)
        {
            table.AddRow(
                Markup.Escape(result.Model),
                result.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                result.MultiplyAdds.ToString("N0", CultureInfo.InvariantCulture),
                result.Evaluation.Errors.ToString(CultureInfo.InvariantCulture),
                result.Evaluation.Accuracy.ToString("P2", CultureInfo.InvariantCulture),
                result.Fidelity.Agreement.ToString("P2", CultureInfo.InvariantCulture),
                result.Fidelity.KL.ToString("F4", CultureInfo.InvariantCulture),
                result.Training.TotalTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s",
                (result.Latency.TotalMilliseconds * 1000).ToString("F0", CultureInfo.InvariantCulture) + " µs");
        }
        AnsiConsole.Write(table);
    }
}
