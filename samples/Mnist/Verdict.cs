using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;

namespace Samples.Mnist;

/// <summary>One student's two runs and the teacher it was distilled from (<paramref name="TeacherName"/>: "the MLP teacher").</summary>
public sealed record Comparison(string Student, string TeacherName, Result Teacher, Result HardLabels, Result Distilled);

/// <summary>
/// What the table means, student by student: how much distillation gained, or why it could not. A teacher
/// that is no better than the student trained alone has nothing to teach it: its soft targets carry its own
/// mistakes, and the distilled student is expected to come out no better, often worse.
/// </summary>
public static class Verdict
{
    public static void Write(IReadOnlyList<Comparison> comparisons)
    {
        var teachers = comparisons.Select(c => (c.TeacherName, c.Teacher)).Distinct().ToList();
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine("[bold]Verdict[/]");
        foreach (var comparison in comparisons)
        {
            AnsiConsole.MarkupLine(Markup.Escape("- " + Line(comparison, teachers)));
        }
        AnsiConsole.MarkupLine(Markup.Escape(
            "Each row is one run: before trusting a difference of a few errors, compare a few seeds (--seed)."));
    }

    private static string Line(Comparison comparison, IReadOnlyList<(string Name, Result Result)> teachers)
    {
        int teacher = comparison.Teacher.Evaluation.Errors;
        int alone = comparison.HardLabels.Evaluation.Errors;
        int distilled = comparison.Distilled.Evaluation.Errors;
        string student = comparison.Student;
        if (teacher >= alone)
        {
            var stronger = teachers.Where(t => t.Result.Evaluation.Errors < alone).OrderBy(t => t.Result.Evaluation.Errors).ToList();
            string tryFirst = stronger.Count == 0
                ? "a stronger teacher"
                : $"a stronger teacher ({stronger[0].Name} makes {stronger[0].Result.Evaluation.Errors})";
            return $"{student}: distillation cannot help here. Its teacher makes {teacher} errors, no fewer than the student "
                + $"trained on the labels alone ({alone}), so its soft targets have nothing better to teach "
                + $"(distilled: {distilled}). Try {tryFirst}, longer training (--epochs) or another teacher learning rate (--teacher-lr).";
        }
        int gained = alone - distilled;
        if (gained > 0)
        {
            double closed = (double)gained / (alone - teacher);
            return $"{student}: {alone} → {distilled} errors when distilled, {gained} fewer: "
                + $"{closed.ToString("P0", CultureInfo.InvariantCulture)} of the gap to its teacher ({teacher}) closed.";
        }
        return gained == 0
            ? $"{student}: {alone} errors either way; distillation neither helped nor hurt (teacher: {teacher})."
            : $"{student}: {alone} → {distilled} errors, {-gained} more when distilled although its teacher is better ({teacher}): "
                + "try a lower --distill-lr or another temperature.";
    }
}
