using System.Collections.Generic;
using System.Linq;
using DeclarativeDistill.Generators.Model;
using static DeclarativeDistill.Generators.Emit.TypeScaffold;

namespace DeclarativeDistill.Generators.Emit;

/// <summary>
/// Writes what stands in for the generated members of a declaration with errors: the same public signatures as
/// <see cref="NetworkEmitter"/> and <see cref="DistillationEmitter"/> write, constants with the values the declaration
/// determines, and bodies that throw. The build fails on the DD errors, so these never run; they keep the user's code
/// that uses the members from adding a CS error for each use beneath the DD errors. No <c>[Obsolete]</c>: a warning
/// on every use would bury the DD errors again.
/// </summary>
internal static class PlaceholderEmitter
{
    /// <summary>The hint-name suffix: <c>Ns.Name.Placeholder.g.cs</c>, so the IDE's list of generated files says what it is.</summary>
    public const string Suffix = ".Placeholder";

    public static string Emit(NetworkPlaceholder network)
    {
        var writer = new SourceWriter();
        int blocks = Open(writer, network.Type);
        var members = new Members(writer, network.Omitted, Throw(network.Type.DisplayName + " was not generated", network.ErrorIds, "its declaration has errors"));
        string name = network.Type.Identifier;
        string input = network.Input?.ToString() ?? "";
        bool generated = network.Source == NetworkSource.Generated;
        // IGeneratedNetwork<T> reads the constants: with one of them the user's own (DD0025), the class does not implement it.
        bool implementsInterface = generated && network.DeclaresModule && !InterfaceMembers.Any(network.Omitted.Contains);
        string header = "partial class " + name;
        if (network.DeclaresModule)
        {
            header += !generated ? $" : {Runtime}.OnnxTeacher"
                : implementsInterface ? $" : {Module}, {Runtime}.IGeneratedNetwork<{name}>"
                : $" : {Module}";
        }

        writer.Line("/// <summary>")
            .Line("/// Stands in for the members the class's attributes add, which are not generated while its declaration has errors")
            .Line($"/// ({string.Join(", ", network.ErrorIds)}). Every member throws; fix the errors and the network is generated.")
            .Line("/// </summary>")
            .Open(header);
        // A declared input too large for an int is an error of its own (DD0053): 0 stands in, as for an unknown one.
        long inputSize = network.Input is { Size: <= int.MaxValue } shape ? shape.Size : 0;
        members.Constant("int", GeneratedMembers.InputSize, Literals.Format(inputSize))
            .Constant("string", GeneratedMembers.InputShape, Literals.String(input))
            .Constant("int", GeneratedMembers.OutputSize, Literals.Format(network.OutputSize));
        if (generated)
        {
            members.Constant("long", GeneratedMembers.ParameterCount, "0")
                .Constant("long", GeneratedMembers.MultiplyAdds, "0")
                .Constant("string", GeneratedMembers.Architecture, "\"\"")
                .Property($"public static {Runtime}.NetworkDescription", GeneratedMembers.Description)
                .Property($"public {Runtime}.Normalization?", GeneratedMembers.InputNormalization, setter: true)
                .Property("public global::System.Collections.Generic.IReadOnlyList<string>?", GeneratedMembers.ClassNames, setter: true);
        }
        if (network.DeclaresModule)
        {
            if (generated)
            {
                members.Constructor($"public {name}()", $"base(nameof({name}))");
            }
            else
            {
                members.Constructor($"public {name}()", "base(\"\", InputShape, OutputSize)")
                    .Constructor($"public {name}(string path)", "base(path, InputShape, OutputSize)");
            }
        }
        if (generated)
        {
            if (network.DeclaresModule)
            {
                members.Method($"public override {Tensor}", "forward", $"{Tensor} input");
            }
            members.Property("public global::System.Collections.Generic.IReadOnlyList<string>", GeneratedMembers.FeatureLayers)
                .Method($"public {Tensor}[]", GeneratedMembers.Features, $"{Tensor} input, params string[] layers");
        }
        if (network.Source != NetworkSource.Onnx)
        {
            members.Method($"public {Runtime}.TrainingReport", GeneratedMembers.Fit, $"{Runtime}.DataSource train, {Runtime}.TrainingOptions? options = null");
        }
        members.Method($"public {Runtime}.Evaluation", GeneratedMembers.Evaluate, $"{Runtime}.DataSource test, {Progress} progress = null")
            .Method($"public {Tensor}", GeneratedMembers.Predict, $"{Tensor} features")
            .Method($"public {Runtime}.Prediction", GeneratedMembers.Classify, "global::System.ReadOnlySpan<float> example")
            .Method($"public {Runtime}.Prediction[]", GeneratedMembers.ClassifyBatch, "global::System.ReadOnlySpan<float> examples");
        if (network.Source != NetworkSource.Onnx)
        {
            members.Method("public void", GeneratedMembers.Save, "string path");
        }
        if (generated)
        {
            members.Method($"public static {name}", GeneratedMembers.Load, "string path")
                .Method("public void", GeneratedMembers.LoadPyTorch, "string path, global::System.Func<string, string?>? rename = null")
                .Method("public void", GeneratedMembers.ExportOnnx, "string path")
                .Method("public void", GeneratedMembers.ExportOnnx, $"string path, {Runtime}.OnnxWeights weights");
        }
        if (implementsInterface)
        {
            // The interface's static members are the constants, as in the generated network.
            string self = $"{Runtime}.IGeneratedNetwork<{name}>";
            writer.Line($"static int {self}.{GeneratedMembers.InputSize} => {GeneratedMembers.InputSize};")
                .Line($"static string {self}.{GeneratedMembers.InputShape} => {GeneratedMembers.InputShape};")
                .Line($"static int {self}.{GeneratedMembers.OutputSize} => {GeneratedMembers.OutputSize};")
                .Line($"static long {self}.{GeneratedMembers.ParameterCount} => {GeneratedMembers.ParameterCount};")
                .Line($"static long {self}.{GeneratedMembers.MultiplyAdds} => {GeneratedMembers.MultiplyAdds};")
                .Line($"static string {self}.{GeneratedMembers.Architecture} => {GeneratedMembers.Architecture};")
                .Line($"{Runtime}.NetworkDescription {Runtime}.IGeneratedNetwork.{GeneratedMembers.Description} => {GeneratedMembers.Description};");
        }
        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    public static string Emit(DistillationPlaceholder distillation)
    {
        var writer = new SourceWriter();
        int blocks = Open(writer, distillation.Student);
        var members = new Members(writer, distillation.Omitted, Throw("The distillation of " + distillation.Student.DisplayName + " was not generated",
            distillation.ErrorIds, distillation.ErrorIds.IsEmpty ? "its student or a teacher has errors" : "its declaration has errors"));
        var teachers = distillation.Teachers;
        var names = DistillationEmitter.ParameterNames(teachers.Select(t => t.DisplayName).ToList());
        var typeParameters = new List<string>();
        var parameters = new List<string>();
        for (int i = 0; i < teachers.Count; i++)
        {
            string? type = teachers[i].FullyQualifiedName;
            if (type is null)
            {
                type = teachers.Count == 1 ? "TTeacher" : "TTeacher" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                typeParameters.Add(type);
            }
            parameters.Add(type + " " + names[i]);
        }
        string generic = typeParameters.Count == 0 ? "" : "<" + string.Join(", ", typeParameters) + ">";

        writer.Line("/// <summary>")
            .Line("/// Stands in for the members [Distill] adds, which are not generated while the distillation or the networks it")
            .Line($"/// names have errors{(distillation.ErrorIds.IsEmpty ? "" : " (" + string.Join(", ", distillation.ErrorIds) + ")")}. Every member throws; fix the errors and the distillation is generated.")
            .Line("/// </summary>")
            .Open("partial class " + distillation.Student.Identifier);
        members.Constant("double", GeneratedMembers.Temperature, Number(distillation.Temperature))
            .Constant("double", GeneratedMembers.Alpha, Number(distillation.Alpha))
            .Constant("double", GeneratedMembers.Beta, distillation.BetaGiven || distillation.Omitted.Contains(GeneratedMembers.Alpha) ? Number(distillation.Beta) : "1 - " + GeneratedMembers.Alpha)
            .Method($"public static {Tensor}", GeneratedMembers.DistillationLoss, $"{Tensor} studentLogits, {Tensor} teacherLogits, {Tensor} labels")
            .Property($"public static {Runtime}.DistillationObjective", GeneratedMembers.Objective)
            .Method($"public {Runtime}.TrainingReport", GeneratedMembers.Distill + generic,
                string.Join(", ", parameters.Concat(new[] { $"{Runtime}.DataSource transferSet", $"{Runtime}.TrainingOptions? options = null", $"{Runtime}.DistillationObjective? objective = null" })))
            .Method($"public {Runtime}.Fidelity", GeneratedMembers.MeasureFidelity + generic,
                string.Join(", ", parameters.Concat(new[] { $"{Runtime}.DataSource data", $"{Progress} progress = null" })));
        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    /// <summary>The members <c>IGeneratedNetwork&lt;T&gt;</c> reads.</summary>
    private static readonly string[] InterfaceMembers =
    {
        GeneratedMembers.InputSize, GeneratedMembers.InputShape, GeneratedMembers.OutputSize, GeneratedMembers.ParameterCount,
        GeneratedMembers.MultiplyAdds, GeneratedMembers.Architecture, GeneratedMembers.Description, GeneratedMembers.InputNormalization,
        GeneratedMembers.ClassNames, GeneratedMembers.FeatureLayers,
    };

    /// <summary>A constant as C# source: a value that is not a number (a NaN or infinite Temperature, reported) becomes 0.</summary>
    private static string Number(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "0" : Literals.Format(value);

    /// <summary><c>throw new global::System.InvalidOperationException("Demo.S was not generated: its declaration has errors (see DD0001).")</c>.</summary>
    private static string Throw(string what, EquatableArray<string> errorIds, string why) =>
        "throw new global::System.InvalidOperationException("
        + Literals.String($"{what}: {why}{(errorIds.IsEmpty ? "" : " (see " + string.Join(", ", errorIds) + ")")}.")
        + ")";

    /// <summary>Writes members one after another, each with the same throwing body, leaving out the names the user declared.</summary>
    private sealed class Members
    {
        private readonly SourceWriter writer;
        private readonly HashSet<string> omitted;
        private readonly string body;

        public Members(SourceWriter writer, EquatableArray<string> omitted, string body)
        {
            this.writer = writer;
            this.omitted = new HashSet<string>(omitted);
            this.body = body;
        }

        public Members Constant(string type, string name, string value)
        {
            if (!omitted.Contains(name))
            {
                writer.Line($"public const {type} {name} = {value};");
            }
            return this;
        }

        public Members Property(string modifiersAndType, string name, bool setter = false)
        {
            if (!omitted.Contains(name))
            {
                writer.Line(setter
                    ? $"{modifiersAndType} {name} {{ get => {body}; set => {body}; }}"
                    : $"{modifiersAndType} {name} => {body};");
            }
            return this;
        }

        public Members Method(string modifiersAndType, string name, string parameters)
        {
            writer.Line($"{modifiersAndType} {name}({parameters}) => {body};");
            return this;
        }

        public Members Constructor(string signature, string baseCall)
        {
            writer.Line(signature).Indent().Line(": " + baseCall).Outdent().Line("{").Indent().Line(body + ";").Outdent().Line("}");
            return this;
        }
    }
}
