using System.Collections.Generic;
using System.Globalization;
using DeclarativeDistill.Generators.Model;
using static DeclarativeDistill.Generators.Emit.TypeScaffold;

namespace DeclarativeDistill.Generators.Emit;

/// <summary>
/// Writes the TorchSharp module of a network: its layers as registered fields (the field names are the
/// state_dict keys: <c>hidden1.weight</c>, ..., <c>output.bias</c>), <c>forward</c>, the size constants,
/// and <c>Fit</c>/<c>Evaluate</c>/<c>Predict</c> bound to the runtime's shared loops.
/// </summary>
internal static class NetworkEmitter
{
    public static string Emit(NetworkSpec network)
    {
        var writer = new SourceWriter();
        int blocks = Open(writer, network.Type);
        var layers = network.Layers;
        int hiddenCount = layers.Count - 2;
        bool dropout = network.Dropout > 0 && hiddenCount > 0;
        string name = network.Type.Identifier;

        writer.Line("/// <summary>")
            .Line($"/// {RoleText(network.Role)} network {string.Join(" → ", layers)} ({Describe(network.Activation, hiddenCount)}{(dropout ? ", dropout " + Literals.Format(network.Dropout) : "")}),")
            .Line($"/// a TorchSharp module generated from its [{(network.Role == NetworkRole.Student ? "Student" : "Teacher")}] attribute.")
            .Line("/// </summary>")
            .Open($"partial class {name} : {Module}");

        writer.Line($"/// <summary>Features per example: the width of the input layer.</summary>")
            .Line($"public const int InputSize = {layers[0]};")
            .Line()
            .Line($"/// <summary>Outputs (classes): the width of the last layer.</summary>")
            .Line($"public const int OutputSize = {layers[layers.Count - 1]};")
            .Line()
            .Line($"/// <summary>Trainable parameters: the weights and biases of {LayerCount(layers.Count - 1)}.</summary>")
            .Line($"public const long ParameterCount = {Literals.Format(network.ParameterCount)};")
            .Line()
            .Line($"/// <summary>The layer widths, input first.</summary>")
            .Line($"public const string Architecture = \"{network.Architecture}\";")
            .Line();

        var fields = LayerFields(hiddenCount);
        foreach (string field in fields)
        {
            writer.Line($"private readonly global::TorchSharp.Modules.Linear {field};");
        }
        if (dropout)
        {
            writer.Line("private readonly global::TorchSharp.Modules.Dropout dropout;");
        }
        writer.Line();

        writer.Line("/// <summary>Creates the network with freshly initialised weights, drawn from TorchSharp's global generator.</summary>")
            .Line($"public {name}()")
            .Indent().Line($": base(nameof({name}))").Outdent()
            .Line("{").Indent();
        for (int i = 0; i < fields.Count; i++)
        {
            writer.Line($"{fields[i]} = global::TorchSharp.torch.nn.Linear({layers[i]}, {layers[i + 1]});");
        }
        if (dropout)
        {
            writer.Line($"dropout = global::TorchSharp.torch.nn.Dropout({Literals.Format(network.Dropout)});");
        }
        writer.Line("RegisterComponents();").Outdent().Line("}").Line();

        writer.Line($"/// <summary>The logits (temperature 1) for a batch of shape [N, {layers[0]}]; returns [N, {layers[layers.Count - 1]}].</summary>")
            .Open($"public override {Tensor} forward({Tensor} input)");
        if (hiddenCount == 0)
        {
            writer.Line("return output.forward(input);");
        }
        else
        {
            for (int i = 0; i < hiddenCount; i++)
            {
                string activated = Activate(network.Activation, $"{fields[i]}.forward({(i == 0 ? "input" : "x")})");
                writer.Line($"{(i == 0 ? "var x" : "x")} = {(dropout ? $"dropout.forward({activated})" : activated)};");
            }
            writer.Line("return output.forward(x);");
        }
        writer.Close().Line();

        writer.Line("/// <summary>Trains this network on hard labels with cross-entropy; see <see cref=\"global::DeclarativeDistill.TrainingOptions\"/>.</summary>")
            .Line($"public {Runtime}.TrainingReport Fit({Runtime}.LabeledDataset train, {Runtime}.TrainingOptions? options = null) =>")
            .Indent().Line($"{Runtime}.Trainer.Fit(this, InputSize, OutputSize, train, options);").Outdent()
            .Line()
            .Line("/// <summary>Accuracy, errors and mean cross-entropy on <paramref name=\"test\"/>, predicting at temperature 1.</summary>")
            .Line($"public {Runtime}.Evaluation Evaluate({Runtime}.LabeledDataset test) =>")
            .Indent().Line($"{Runtime}.Metrics.Evaluate(this, InputSize, OutputSize, test);").Outdent()
            .Line()
            .Line($"/// <summary>The most probable class of each row of <paramref name=\"features\"/> ([N, {layers[0]}]), as int64 [N].</summary>")
            .Line($"public {Tensor} Predict({Tensor} features) =>")
            .Indent().Line($"{Runtime}.Metrics.Predict(this, features);").Outdent();

        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    /// <summary><c>hidden1</c> ... <c>hiddenN</c>, then <c>output</c>.</summary>
    private static List<string> LayerFields(int hiddenCount)
    {
        var fields = new List<string>(hiddenCount + 1);
        for (int i = 1; i <= hiddenCount; i++)
        {
            fields.Add("hidden" + i.ToString(CultureInfo.InvariantCulture));
        }
        fields.Add("output");
        return fields;
    }

    private static string Activate(ActivationKind activation, string expression) => activation switch
    {
        ActivationKind.Tanh => $"global::TorchSharp.torch.nn.functional.tanh({expression})",
        ActivationKind.GELU => $"global::TorchSharp.torch.nn.functional.gelu({expression})",
        ActivationKind.Sigmoid => $"global::TorchSharp.torch.nn.functional.sigmoid({expression})",
        _ => $"global::TorchSharp.torch.nn.functional.relu({expression})",
    };

    private static string LayerCount(int linearLayers) => linearLayers switch
    {
        1 => "its one linear layer",
        2 => "both linear layers",
        _ => $"all {linearLayers} linear layers",
    };

    private static string Describe(ActivationKind activation, int hiddenCount) =>
        hiddenCount == 0 ? "linear" : activation.ToString();

    private static string RoleText(NetworkRole role) => role switch
    {
        NetworkRole.Teacher => "Teacher",
        NetworkRole.Student => "Student",
        _ => "Teacher-assistant",
    };
}
