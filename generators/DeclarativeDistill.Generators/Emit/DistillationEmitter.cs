using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Methods;
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
        var parameters = ParameterNames(teachers.Select(t => t.DisplayName).ToList());

        writer.Open($"partial class {distillation.Student.Identifier}");
        writer.Line("/// <summary>The softmax temperature T of the soft loss, from [Distill].</summary>")
            .Line($"public const double {GeneratedMembers.Temperature} = {Literals.Format(distillation.Temperature)};")
            .Line()
            .Line("/// <summary>Weight of the soft (teacher) loss, from [Distill].</summary>")
            .Line($"public const double {GeneratedMembers.Alpha} = {Literals.Format(distillation.Alpha)};")
            .Line();
        if (distillation.BetaGiven)
        {
            writer.Line("/// <summary>Weight of the hard (label) loss, from [Distill].</summary>")
                .Line($"public const double {GeneratedMembers.Beta} = {Literals.Format(distillation.Beta)};");
        }
        else
        {
            writer.Line("/// <summary>Weight of the hard (label) loss: 1 - Alpha, as [Distill] leaves Beta unset.</summary>")
                .Line($"public const double {GeneratedMembers.Beta} = 1 - {GeneratedMembers.Alpha};");
        }
        writer.Line();

        writer.Line("/// <summary>")
            .Line("/// Alpha · T² · KL(softmax(teacherLogits / T) ‖ softmax(studentLogits / T)) + Beta · CE(studentLogits, labels),")
            .Line("/// with this student's T, Alpha and Beta; the KL divergence is averaged over the batch.")
            .Line("/// </summary>")
            .Line($"public static {Tensor} {GeneratedMembers.DistillationLoss}({Tensor} studentLogits, {Tensor} teacherLogits, {Tensor} labels) =>")
            .Indent().Line($"{Runtime}.KnowledgeDistillation.Loss(studentLogits, teacherLogits, labels, Temperature, Alpha, Beta);").Outdent()
            .Line();

        WriteObjective(writer, distillation);

        // A hand-written teacher reads batches in its declared shape: the runtime hands them out as the dataset holds them.
        var teacherModules = teachers.Select((t, i) => t.HandWritten
            ? $"{Runtime}.Modules.ShapedModule.As({parameters[i]}, {t.FullyQualifiedName}.InputShape)"
            : parameters[i]);
        var teacherArray = $"new {Module}[] {{ {string.Join(", ", teacherModules)} }}";
        writer.Line("/// <summary>")
            .Line(teachers.Count == 1
                ? $"/// Trains this student on <paramref name=\"transferSet\"/> to match the softened outputs of <paramref name=\"{parameters[0]}\"/>"
                : $"/// Trains this student on <paramref name=\"transferSet\"/> to match the averaged softened outputs of an ensemble of {teachers.Count} teachers")
            .Line("/// (and the labels, weighted by Beta). Teachers run in evaluation mode without gradients.");
        if (!distillation.Hints.IsEmpty)
        {
            writer.Line(distillation.CombinedHintTraining
                ? "/// The hint terms of <see cref=\"Objective\"/> are added to the loss, and their regressors train with the student."
                : "/// First, FitNets' hint stage: the student up to its guided layers learns the hints through their regressors")
                .Line(distillation.CombinedHintTraining
                ? "/// The regressors are not part of the student: its Save and ExportOnnx do not include them."
                : "/// for <see cref=\"global::DeclarativeDistill.TrainingOptions.HintEpochs\"/> epochs; the regressors are then dropped.");
        }
        writer.Line("/// <paramref name=\"objective\"/> replaces the declared <see cref=\"Objective\"/> for this run.")
            .Line("/// </summary>");
        var signature = TeacherParameters(teachers, parameters)
            .Concat(new[]
            {
                $"{Runtime}.DataSource transferSet",
                $"{Runtime}.TrainingOptions? options = null",
                $"{Runtime}.DistillationObjective? objective = null",
            })
            .ToList();
        WriteSignature(writer, $"public {Runtime}.TrainingReport {GeneratedMembers.Distill}(", signature);
        writer.Line($"{Runtime}.Trainer.Distill(")
            .Indent()
            .Line("this,")
            .Line(DeclaredShape + ",")
            .Line("OutputSize,")
            .Line(teacherArray + ",")
            .Line("objective ?? Objective,")
            .Line("transferSet,")
            .Line("options);")
            .Outdent()
            .Outdent()
            .Line();

        writer.Line("/// <summary>")
            .Line(teachers.Count == 1
                ? "/// How closely this student matches its teacher on <paramref name=\"data\"/> (labels not needed), at temperature 1:"
                : "/// How closely this student matches its ensemble (the average of the teachers' probabilities) on <paramref name=\"data\"/>, at temperature 1:")
            .Line("/// top-1 agreement and mean KL(teacher ‖ student).")
            .Line("/// </summary>");
        WriteSignature(writer, $"public {Runtime}.Fidelity {GeneratedMembers.MeasureFidelity}(",
            TeacherParameters(teachers, parameters).Concat(new[] { $"{Runtime}.DataSource data", $"{Progress} progress = null" }).ToList());
        writer.Line($"{Runtime}.Metrics.Fidelity(")
            .Indent()
            .Line("this,")
            .Line(DeclaredShape + ",")
            .Line(teacherArray + ",")
            .Line("data,")
            .Line("progress);")
            .Outdent()
            .Outdent();

        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    /// <summary>
    /// <c>Objective</c>: T, Alpha and Beta, each <c>[Hint]</c> with the regressor sized here, and each method's term with
    /// all its constants, commented with the shapes they map between or compare.
    /// </summary>
    private static void WriteObjective(SourceWriter writer, DistillationSpec distillation)
    {
        var hints = distillation.Hints;
        var methods = distillation.Methods;
        var parts = new List<string>();
        if (!hints.IsEmpty)
        {
            parts.Add(hints.Count == 1 ? "the hint of [Hint]" : $"the {hints.Count} hints of [Hint]");
        }
        if (!methods.IsEmpty)
        {
            parts.Add("the terms of " + string.Join(", ", methods.Select(m => $"[{m.Kind}]").Distinct()));
        }
        writer.Line("/// <summary>")
            .Line(parts.Count == 0
                ? "/// T, Alpha and Beta as declared. A sweep passes variations to <c>Distill</c>, e.g."
                : $"/// T, Alpha and Beta as declared, and {string.Join(" and ", parts)}. A sweep passes variations to <c>Distill</c>, e.g.")
            .Line("/// <c>objective: Objective with { Temperature = 8 }</c>; <c>Objective with { Beta = 0 }</c> distils on a")
            .Line("/// transfer set without labels.")
            .Line("/// </summary>");
        string creation = $"public static {Runtime}.DistillationObjective {GeneratedMembers.Objective} {{ get; }} = new({GeneratedMembers.Temperature}, {GeneratedMembers.Alpha}, {GeneratedMembers.Beta})";
        if (parts.Count == 0)
        {
            writer.Line(creation + ";").Line();
            return;
        }
        writer.Line(creation)
            .Line("{")
            .Indent();
        if (!hints.IsEmpty)
        {
            WriteHints(writer, hints);
        }
        if (!methods.IsEmpty)
        {
            WriteMethods(writer, methods);
        }
        if (distillation.CombinedHintTraining)
        {
            writer.Line($"HintTraining = {Runtime}.HintTraining.Combined,");
        }
        writer.Outdent()
            .Line("};")
            .Line();
    }

    private static void WriteHints(SourceWriter writer, EquatableArray<ResolvedHint> hints)
    {
        writer.Line($"Hints = new {Runtime}.FeatureHint[]")
            .Line("{")
            .Indent();
        foreach (var hint in hints)
        {
            var regressor = hint.Regressor;
            string activation = regressor.Activation is { } kind ? $"{Runtime}.Activation.{kind}" : "null";
            string create = regressor.Convolution
                ? $"{Runtime}.HintRegressor.Convolution({regressor.Inputs}, {regressor.Outputs}, {regressor.KernelHeight}, {regressor.KernelWidth}, {activation})"
                : regressor.PerStep
                ? $"{Runtime}.HintRegressor.PerStep({regressor.Inputs}, {regressor.Outputs}, {activation})"
                : $"{Runtime}.HintRegressor.Linear({regressor.Inputs}, {regressor.Outputs}, {activation})";
            var settings = new List<string>();
            if (hint.Weight != 1)
            {
                settings.Add($"Weight = {Literals.Format(hint.Weight)}");
            }
            if (hint.Teacher != 0)
            {
                settings.Add($"Teacher = {hint.Teacher}");
            }
            writer.Line($"// {hint.StudentLayer} ({hint.StudentShape}) learns {hint.TeacherLayer} of {hint.TeacherName} ({hint.TeacherShape}) through {Describe(regressor)}.")
                .Line($"new {Runtime}.FeatureHint({Literals.String(hint.TeacherLayer)}, {Literals.String(hint.StudentLayer)}, {create}){(settings.Count == 0 ? "" : $" {{ {string.Join(", ", settings)} }}")},");
        }
        writer.Outdent()
            .Line("},");
    }

    /// <summary>One term per method, every constant written out (the defaults too), so the objective reads as what trains.</summary>
    private static void WriteMethods(SourceWriter writer, EquatableArray<ResolvedMethod> methods)
    {
        writer.Line($"Terms = new {Runtime}.DistillationTerm[]")
            .Line("{")
            .Indent();
        foreach (var method in methods)
        {
            var kind = MethodKinds.Find(method.Kind)!;
            var settings = method.Values
                .Select(v => $"{v.Property} = {(v.WholeNumber ? Literals.Format((long)v.Value) : Literals.Format(v.Value))}")
                .ToList();
            writer.Line("// " + kind.Description);
            string create = $"new {Runtime}.{kind.RuntimeTerm}";
            if (method.Layers is { } layers)
            {
                writer.Line($"// The student's {layers.Describe()}.");
                create += $"({Literals.String(layers.TeacherLayer.Name)}, {Literals.String(layers.StudentLayer.Name)})";
                if (layers.Teacher != 0)
                {
                    settings.Add($"Teacher = {layers.Teacher}");
                }
            }
            writer.Line($"{create} {{ {string.Join(", ", settings)} }},");
        }
        writer.Outdent()
            .Line("},");
    }

    /// <summary><c>a 1x1 convolution, then ReLU</c> or <c>a linear layer 800 → 1200</c>.</summary>
    private static string Describe(RegressorSpec regressor) =>
        (regressor.Convolution
            ? $"a {regressor.KernelHeight}x{regressor.KernelWidth} convolution"
            : $"a linear layer {regressor.Inputs} → {regressor.Outputs}")
        + (regressor.Activation is { } kind ? $", then {kind}" : "");

    private static IEnumerable<string> TeacherParameters(EquatableArray<NetworkSummary> teachers, List<string> names) =>
        teachers.Select((t, i) => $"{t.FullyQualifiedName} {names[i]}");

    /// <summary>Opens an expression-bodied member whose parameters go one per line; the caller writes the body and outdents.</summary>
    private static void WriteSignature(SourceWriter writer, string opening, List<string> parameters)
    {
        writer.Line(opening).Indent();
        for (int i = 0; i < parameters.Count; i++)
        {
            writer.Line(parameters[i] + (i < parameters.Count - 1 ? "," : ") =>"));
        }
    }

    /// <summary>
    /// <c>teacher</c> for one teacher (the contract's name); otherwise each type's name in camelCase,
    /// numbered where two would clash or where one would hide another parameter.
    /// </summary>
    internal static List<string> ParameterNames(IReadOnlyList<string> teachers)
    {
        if (teachers.Count == 1)
        {
            return new List<string> { "teacher" };
        }
        var reserved = new HashSet<string> { "transferSet", "options", "objective", "data" };
        var names = new List<string>();
        for (int i = 0; i < teachers.Count; i++)
        {
            string simple = teachers[i].Substring(teachers[i].LastIndexOf('.') + 1);
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
