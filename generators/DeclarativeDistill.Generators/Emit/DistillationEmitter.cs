using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Model;
using static DeclarativeDistill.Generators.Emit.TypeScaffold;

namespace DeclarativeDistill.Generators.Emit;

/// <summary>
/// Writes the distillation members of a student: the resolved T, Alpha and Beta as constants, the loss
/// bound to them, and <c>Distill</c> typed by the teacher classes, so passing the wrong teacher does not compile.
/// </summary>
internal static class DistillationEmitter
{
    public static string Emit(DistillationSpec distillation)
    {
        var writer = new SourceWriter();
        int blocks = Open(writer, distillation.Student);
        var teachers = distillation.Teachers;
        var parameters = ParameterNames(teachers);

        writer.Open($"partial class {distillation.Student.Identifier}");
        writer.Line("/// <summary>The softmax temperature T of the soft loss, from [Distill].</summary>")
            .Line($"public const double Temperature = {Literals.Format(distillation.Temperature)};")
            .Line()
            .Line("/// <summary>Weight of the soft (teacher) loss, from [Distill].</summary>")
            .Line($"public const double Alpha = {Literals.Format(distillation.Alpha)};")
            .Line();
        if (distillation.BetaGiven)
        {
            writer.Line("/// <summary>Weight of the hard (label) loss, from [Distill].</summary>")
                .Line($"public const double Beta = {Literals.Format(distillation.Beta)};");
        }
        else
        {
            writer.Line("/// <summary>Weight of the hard (label) loss: 1 - Alpha, as [Distill] leaves Beta unset.</summary>")
                .Line("public const double Beta = 1 - Alpha;");
        }
        writer.Line();

        writer.Line("/// <summary>")
            .Line("/// Alpha · T² · KL(softmax(teacherLogits / T) ‖ softmax(studentLogits / T)) + Beta · CE(studentLogits, labels),")
            .Line("/// with this student's T, Alpha and Beta; the KL divergence is averaged over the batch.")
            .Line("/// </summary>")
            .Line($"public static {Tensor} DistillationLoss({Tensor} studentLogits, {Tensor} teacherLogits, {Tensor} labels) =>")
            .Indent().Line($"{Runtime}.KnowledgeDistillation.Loss(studentLogits, teacherLogits, labels, Temperature, Alpha, Beta);").Outdent()
            .Line();

        writer.Line("/// <summary>")
            .Line(teachers.Count == 1
                ? $"/// Trains this student on <paramref name=\"transferSet\"/> to match the softened outputs of <paramref name=\"{parameters[0]}\"/>"
                : $"/// Trains this student on <paramref name=\"transferSet\"/> to match the averaged softened outputs of an ensemble of {teachers.Count} teachers")
            .Line("/// (and the labels, weighted by Beta). Teachers run in evaluation mode without gradients.")
            .Line("/// </summary>");
        var signature = teachers.Select((t, i) => $"{t.FullyQualifiedName} {parameters[i]}")
            .Concat(new[] { $"{Runtime}.LabeledDataset transferSet", $"{Runtime}.TrainingOptions? options = null" })
            .ToList();
        writer.Line($"public {Runtime}.TrainingReport Distill(").Indent();
        for (int i = 0; i < signature.Count; i++)
        {
            writer.Line(signature[i] + (i < signature.Count - 1 ? "," : ") =>"));
        }
        writer.Line($"{Runtime}.Trainer.Distill(")
            .Indent()
            .Line("this,")
            .Line(DeclaredShape + ",")
            .Line("OutputSize,")
            .Line($"new {Module}[] {{ {string.Join(", ", parameters)} }},")
            .Line($"new {Runtime}.DistillationObjective(Temperature, Alpha, Beta),")
            .Line("transferSet,")
            .Line("options);")
            .Outdent()
            .Outdent();

        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    /// <summary>
    /// <c>teacher</c> for one teacher (the contract's name); otherwise each type's name in camelCase,
    /// numbered where two would clash or where one would hide another parameter.
    /// </summary>
    private static List<string> ParameterNames(EquatableArray<NetworkSummary> teachers)
    {
        if (teachers.Count == 1)
        {
            return new List<string> { "teacher" };
        }
        var reserved = new HashSet<string> { "transferSet", "options" };
        var names = new List<string>();
        for (int i = 0; i < teachers.Count; i++)
        {
            string simple = teachers[i].DisplayName.Substring(teachers[i].DisplayName.LastIndexOf('.') + 1);
            string name = Identifiers.CamelCase(simple);
            string unique = name;
            for (int n = 2; !reserved.Add(unique); n++)
            {
                unique = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            names.Add(unique);
        }
        return names;
    }
}
