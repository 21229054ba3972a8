using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;
using static DeclarativeDistill.Generators.Emit.TypeScaffold;

namespace DeclarativeDistill.Generators.Emit;

/// <summary>
/// Writes the TorchSharp module of an analysed network: its layers with state as registered fields (the field
/// names are the state_dict prefixes: <c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>res1.conv1.weight</c>,
/// <c>hidden1.weight</c>, ..., <c>output.bias</c>), <c>forward</c> as one statement per layer, the size constants,
/// and <c>Fit</c>/<c>Evaluate</c>/<c>Predict</c> bound to the runtime's shared loops. Operations without state
/// (pooling, flattening, global average pooling) are functional calls in <c>forward</c>.
/// </summary>
internal static class NetworkEmitter
{
    public static string Emit(NetworkSpec network)
    {
        if (network.HandWritten)
        {
            return EmitHandWritten(network);
        }
        var writer = new SourceWriter();
        int blocks = Open(writer, network.Type);
        var layers = network.Layers;
        bool classDropout = network.HasClassDropout;
        string name = network.Type.Identifier;
        string input = network.Input.ToString();

        writer.Line("/// <summary>")
            .Line($"/// {RoleText(network.Role)} network {Chain(network)} ({Describe(network)}{(classDropout ? ", dropout " + Literals.Format(network.Dropout) : "")}),")
            .Line($"/// a TorchSharp module generated from its [{(network.Role == NetworkRole.Student ? "Student" : "Teacher")}] attribute.")
            .Line("/// </summary>")
            .Open($"partial class {name} : {Module}, {Runtime}.IGeneratedNetwork<{name}>");

        writer.Line(network.Input.IsImage
                ? $"/// <summary>Features per example: the {input} input image has {network.InputSize} values.</summary>"
                : network.Input.IsTokens
                ? $"/// <summary>Features per example: {network.InputSize} token ids (below {network.Input.Vocabulary}; 0 is the padding), as floats.</summary>"
                : $"/// <summary>Features per example: the width of the input layer.</summary>")
            .Line($"public const int {GeneratedMembers.InputSize} = {network.InputSize};")
            .Line()
            .Line(network.Input.IsImage
                ? "/// <summary>One example: channels x height x width.</summary>"
                : network.Input.IsTokens
                ? "/// <summary>One example: token ids, tokens(vocabulary, length).</summary>"
                : "/// <summary>One example: a vector of InputSize features.</summary>")
            .Line($"public const string {GeneratedMembers.InputShape} = \"{input}\";")
            .Line()
            .Line($"/// <summary>Outputs (classes): the width of the last layer.</summary>")
            .Line($"public const int {GeneratedMembers.OutputSize} = {network.OutputSize};")
            .Line()
            .Line($"/// <summary>Trainable parameters: {ParameterText(network)}.</summary>")
            .Line($"public const long {GeneratedMembers.ParameterCount} = {Literals.Format(network.ParameterCount)};")
            .Line()
            .Line("/// <summary>Multiply-accumulates of one example's forward pass through the convolutions and fully connected layers.</summary>")
            .Line($"public const long {GeneratedMembers.MultiplyAdds} = {Literals.Format(network.MultiplyAdds)};")
            .Line()
            .Line(network.IsFullyConnected
                ? $"/// <summary>The layer widths, input first.</summary>"
                : $"/// <summary>The layers, input first, as declared.</summary>")
            .Line($"public const string {GeneratedMembers.Architecture} = \"{network.Architecture}\";")
            .Line();
        WriteDescription(writer, network);

        var fields = layers.SelectMany(l => l.Operations).Select(o => o.Module).Where(m => m is not null).Select(m => m!).ToList();
        foreach (var field in fields)
        {
            writer.Line($"private readonly {field.Type} {field.Name};");
        }
        if (classDropout)
        {
            writer.Line($"private readonly global::TorchSharp.Modules.Dropout {GeneratedMembers.ClassDropout};");
        }
        writer.Line($"private {Runtime}.Modules.InputNormalization? {GeneratedMembers.InputNormalizationField};")
            .Line($"private {Runtime}.Modules.ClassNameList? {GeneratedMembers.ClassNamesField};")
            .Line();

        writer.Line("/// <summary>Creates the network with freshly initialised weights, drawn from TorchSharp's global generator.</summary>")
            .Line($"public {name}()")
            .Indent().Line($": base(nameof({name}))").Outdent()
            .Line("{").Indent();
        foreach (var field in fields)
        {
            writer.Line($"{field.Name} = {field.Construction};");
        }
        if (classDropout)
        {
            writer.Line($"{GeneratedMembers.ClassDropout} = global::TorchSharp.torch.nn.Dropout({Literals.Format(network.Dropout)});");
        }
        writer.Line("RegisterComponents();").Outdent().Line("}").Line();

        WriteDataMembers(writer);
        writer.Line($"/// <summary>The logits (temperature 1) for a batch of shape {BatchShapes(network)}; returns [N, {network.OutputSize}].</summary>")
            .Open($"public override {Tensor} forward({Tensor} input)");
        WriteForward(writer, network, taps: false);
        writer.Close().Line();
        WriteFeatures(writer, network);

        WriteRuntimeMembers(writer, network, "this", trainable: true);
        writer.Line()
            .Line("/// <summary>Writes this network's weights to <paramref name=\"path\"/> in TorchSharp's format, through a temporary file.</summary>")
            .Line($"public void {GeneratedMembers.Save}(string path) =>")
            .Indent().Line($"{Runtime}.Inference.Save(this, path);").Outdent()
            .Line()
            .Line($"/// <summary>A new {network.Type.Identifier} with the weights that <see cref=\"Save\"/> wrote to <paramref name=\"path\"/>, in evaluation mode.</summary>")
            .Line($"public static {network.Type.Identifier} {GeneratedMembers.Load}(string path) =>")
            .Indent().Line($"{Runtime}.Inference.Load(new {network.Type.Identifier}(), path);").Outdent()
            .Line()
            .Line("/// <summary>")
            .Line("/// Copies weights trained in PyTorch into this network: a <c>torch.save(model.state_dict())</c> file or a <c>.safetensors</c> file")
            .Line("/// whose keys are this network's (or that <paramref name=\"rename\"/> maps to them). Every missing, unexpected or mis-shaped tensor is named.")
            .Line("/// </summary>")
            .Line($"public void {GeneratedMembers.LoadPyTorch}(string path, global::System.Func<string, string?>? rename = null) =>")
            .Indent().Line($"{Runtime}.PyTorchWeights.Load(this, path, rename);").Outdent()
            .Line();
        WriteExport(writer, network);
        WriteInterface(writer, network);

        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    /// <summary>
    /// A module written by hand and declared by its shapes: its constants and the runtime's loops, which reach its
    /// <c>forward</c> through <c>ShapedModule</c> so that batches arrive in the declared shape. No layers, constructor,
    /// <c>forward</c> or export: those are the class's own.
    /// </summary>
    private static string EmitHandWritten(NetworkSpec network)
    {
        var writer = new SourceWriter();
        int blocks = Open(writer, network.Type);
        string input = network.Input.ToString();
        const string Shaped = Runtime + ".Modules.ShapedModule.As(this, InputShape)";
        string file = network.OnnxFile is { } onnx ? Literals.String(onnx) : "";
        writer.Line("/// <summary>")
            .Line(network.IsOnnx
                ? $"/// Teacher run by ONNX Runtime from {Literals.EscapeXml(network.OnnxFile!)}, which reads {input} and gives {network.OutputSize} classes (read from the file at build time)."
                : $"/// Teacher module written by hand, declared as {input} → {network.OutputSize} classes: the members its [Teacher] attribute adds.")
            .Line("/// </summary>")
            .Open(network.IsOnnx ? $"partial class {network.Type.Identifier} : {Runtime}.OnnxTeacher" : $"partial class {network.Type.Identifier}")
            .Line($"/// <summary>Features per example{(network.Input.IsImage ? $": the {input} input image has {network.InputSize} values" : "")}.</summary>")
            .Line($"public const int {GeneratedMembers.InputSize} = {network.InputSize};")
            .Line()
            .Line($"/// <summary>One example, as declared; batches reach <c>forward</c> as [N, {(network.Input.IsImage ? $"{network.Input.Channels}, {network.Input.Height}, {network.Input.Width}" : network.InputSize.ToString(CultureInfo.InvariantCulture))}].</summary>")
            .Line($"public const string {GeneratedMembers.InputShape} = \"{input}\";")
            .Line()
            .Line("/// <summary>Outputs (classes), as declared.</summary>")
            .Line($"public const int {GeneratedMembers.OutputSize} = {network.OutputSize};")
            .Line();
        if (network.IsOnnx)
        {
            writer.Line($"/// <summary>Loads {Literals.EscapeXml(network.OnnxFile!)} from beside the application (the build copies it there), or from the working directory.</summary>")
                .Line($"public {network.Type.Identifier}()")
                .Indent().Line($": base({file}, InputShape, OutputSize)").Outdent()
                .Line("{")
                .Line("}")
                .Line()
                .Line("/// <summary>Loads the model from <paramref name=\"path\"/>, which must read and give what the declared file does.</summary>")
                .Line($"public {network.Type.Identifier}(string path)")
                .Indent().Line(": base(path, InputShape, OutputSize)").Outdent()
                .Line("{")
                .Line("}")
                .Line();
        }
        WriteRuntimeMembers(writer, network, Shaped, trainable: !network.IsOnnx);
        if (!network.IsOnnx)
        {
            writer.Line()
                .Line("/// <summary>Writes this module's weights to <paramref name=\"path\"/> in TorchSharp's format, through a temporary file.</summary>")
                .Line($"public void {GeneratedMembers.Save}(string path) =>")
                .Indent().Line($"{Runtime}.Inference.Save(this, path);").Outdent();
        }
        writer.Close();
        Close(writer, blocks);
        return writer.ToString();
    }

    /// <summary>
    /// <c>Fit</c> (when <paramref name="trainable"/>), <c>Evaluate</c>, <c>Predict</c>, <c>Classify</c> and <c>ClassifyBatch</c>,
    /// bound to the runtime's loops with <paramref name="model"/> as the module they run.
    /// </summary>
    private static void WriteRuntimeMembers(SourceWriter writer, NetworkSpec network, string model, bool trainable)
    {
        string noun = network.HandWritten ? "module" : "network";
        if (trainable)
        {
            writer.Line($"/// <summary>Trains this {noun} on hard labels with cross-entropy; see <see cref=\"global::DeclarativeDistill.TrainingOptions\"/>.</summary>")
                .Line($"public {Runtime}.TrainingReport {GeneratedMembers.Fit}({Runtime}.DataSource train, {Runtime}.TrainingOptions? options = null) =>")
                .Indent().Line($"{Runtime}.Trainer.Fit({model}, {DeclaredShape}, OutputSize, train, options);").Outdent()
                .Line();
        }
        writer.Line("/// <summary>Accuracy, errors and mean cross-entropy on <paramref name=\"test\"/>, predicting at temperature 1.</summary>")
            .Line($"public {Runtime}.Evaluation {GeneratedMembers.Evaluate}({Runtime}.DataSource test, {Progress} progress = null) =>")
            .Indent().Line($"{Runtime}.Metrics.Evaluate({model}, {DeclaredShape}, OutputSize, test, progress);").Outdent()
            .Line()
            .Line($"/// <summary>The most probable class of each example of <paramref name=\"features\"/> ({BatchShapes(network)}), as int64 [N].</summary>")
            .Line($"public {Tensor} {GeneratedMembers.Predict}({Tensor} features) =>")
            .Indent().Line($"{Runtime}.Metrics.Predict({model}, {DeclaredShape}, features);").Outdent()
            .Line()
            .Line($"/// <summary>The class and class probabilities of one example: {network.InputSize} values{(network.Input.IsImage ? " (channel by channel, row by row)" : "")}.</summary>")
            .Line($"public {Runtime}.Prediction {GeneratedMembers.Classify}(global::System.ReadOnlySpan<float> example) =>")
            .Indent().Line($"{Runtime}.Inference.ClassifyOne({model}, {DeclaredShape}, example);").Outdent()
            .Line()
            .Line($"/// <summary>The class and class probabilities of each example in <paramref name=\"examples\"/>: {network.InputSize} values per example, one after another.</summary>")
            .Line($"public {Runtime}.Prediction[] {GeneratedMembers.ClassifyBatch}(global::System.ReadOnlySpan<float> examples) =>")
            .Indent().Line($"{Runtime}.Inference.Classify({model}, {DeclaredShape}, examples);").Outdent();
    }

    /// <summary>
    /// One statement per layer, <c>x</c> flowing through, each commented with the shape of one example after it;
    /// the last one returns the logits. An image network first views its input as images (rows of C·H·W values
    /// become [N, C, H, W]); a vector network flattens it (an image batch becomes rows), so that both layouts of
    /// a dataset reach the first layer in its shape. With <paramref name="taps"/> (for <c>Features</c>), each layer
    /// with a field hands its output to <c>taps</c>, which says when the deepest layer asked for is reached.
    /// </summary>
    private static void WriteForward(SourceWriter writer, NetworkSpec network, bool taps)
    {
        string current = "input.flatten(1)";
        bool declared = false;
        if (network.Input.IsTokens)
        {
            // Token ids arrive as floats (a dataset's rows); id 0 is the padding, which the readouts leave out.
            writer.Line($"var ids = input.flatten(1).to_type(global::TorchSharp.torch.ScalarType.Int64); // {network.Input}")
                .Line("var mask = ids.ne(0L); // true where there is a token");
            current = "ids";
        }
        else
        {
            writer.Line($"if ({GeneratedMembers.InputNormalizationField} is not null) input = {GeneratedMembers.InputNormalizationField}.forward(input); // raw values, standardised");
        }
        if (network.Input.IsImage)
        {
            var shape = network.Input;
            writer.Line($"var x = input.reshape(input.shape[0], {shape.Channels}, {shape.Height}, {shape.Width}); // {shape}");
            current = "x";
            declared = true;
        }
        for (int i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            string expression = layer.Operations.Aggregate(current, (x, operation) => operation.Apply(x));
            bool last = i == network.Layers.Count - 1;
            if (last && !taps)
            {
                writer.Line($"return {expression}; // {layer.Output}");
                continue;
            }
            writer.Line($"{(declared ? "x" : "var x")} = {expression}; // {layer.Output}");
            declared = true;
            current = "x";
            foreach (var operation in layer.Operations)
            {
                if (operation.MaskAfter("mask") is { } mask)
                {
                    writer.Line($"mask = {mask}; // a step is a token where its window held one");
                }
            }
            if (taps && last)
            {
                writer.Line($"taps.Take(\"{layer.Field}\", x);")
                    .Line("return taps.Features;");
            }
            else if (taps && layer.Field is { } field)
            {
                writer.Line($"if (taps.Take(\"{field}\", x)) return taps.Features;");
            }
        }
    }

    /// <summary>
    /// <c>InputNormalization</c> and <c>ClassNames</c>: what the network knows of its data, kept in its state_dict by two
    /// optional runtime modules that the setters register.
    /// </summary>
    private static void WriteDataMembers(SourceWriter writer)
    {
        writer.Line("/// <summary>")
            .Line("/// The standardisation of raw inputs this network applies before its first layer (fitted on training data with")
            .Line($"/// <see cref=\"{Runtime}.Normalization.Fit\"/>), or null to take inputs as they are. Saved with the weights, kept in")
            .Line("/// checkpoints and written into the ONNX graph, so that an application feeds raw values.")
            .Line("/// </summary>")
            .Line($"public {Runtime}.Normalization? {GeneratedMembers.InputNormalization}")
            .Line("{").Indent()
            .Line($"get => {GeneratedMembers.InputNormalizationField}?.Normalization;")
            .Line($"set => {GeneratedMembers.InputNormalizationField} = {Runtime}.Modules.InputNormalization.Attach(this, InputShape, {GeneratedMembers.InputNormalizationField}, value);")
            .Outdent().Line("}")
            .Line()
            .Line("/// <summary>")
            .Line("/// The name of each class, by output (set by <c>Fit</c> and <c>Distill</c> from data that names its classes), or null.")
            .Line("/// Saved with the weights and written into the ONNX file's metadata; predictions carry the name.")
            .Line("/// </summary>")
            .Line($"public global::System.Collections.Generic.IReadOnlyList<string>? {GeneratedMembers.ClassNames}")
            .Line("{").Indent()
            .Line($"get => {GeneratedMembers.ClassNamesField}?.Names;")
            .Line($"set => {GeneratedMembers.ClassNamesField} = {Runtime}.Modules.ClassNameList.Attach(this, {GeneratedMembers.ClassNamesField}, value, OutputSize);")
            .Outdent().Line("}")
            .Line();
    }

    /// <summary>
    /// <c>FeatureLayers</c> and <c>Features</c> (the runtime's <c>IFeatureLayers</c>): the outputs of named layers, by
    /// a copy of <c>forward</c> that stops after the deepest one asked for. Hints read both networks through it.
    /// </summary>
    private static void WriteFeatures(SourceWriter writer, NetworkSpec network)
    {
        var taps = network.Taps();
        writer.Line("/// <summary>The layers whose outputs <see cref=\"Features\"/> returns, in forward order; the last one's output is the logits.</summary>")
            .Line($"public global::System.Collections.Generic.IReadOnlyList<string> {GeneratedMembers.FeatureLayers} => {GeneratedMembers.Description}.FeatureLayers;")
            .Line()
            .Line("/// <summary>")
            .Line($"/// The outputs of the named layers for a batch of shape {BatchShapes(network)}, in the order asked:")
            .Line($"/// {string.Join(", ", taps.Select(t => $"{t.Name} {BatchShape(t.Shape)}"))}.")
            .Line("/// Forward runs only as far as the deepest of them; each output is what the next layer receives.")
            .Line("/// </summary>")
            .Open($"public {Tensor}[] {GeneratedMembers.Features}({Tensor} input, params string[] layers)")
            .Line($"var taps = new {Runtime}.Modules.FeatureTaps(nameof({network.Type.Identifier}), {GeneratedMembers.FeatureLayers}, layers);");
        WriteForward(writer, network, taps: true);
        writer.Close().Line();
    }

    /// <summary><c>[N, 16, 32, 32]</c> for a feature map, <c>[N, 128, 64]</c> for a sequence, <c>[N, 128]</c> for a vector.</summary>
    private static string BatchShape(TensorShape shape) =>
        shape.IsImage ? $"[N, {shape.Channels}, {shape.Height}, {shape.Width}]"
        : shape.IsSequence ? $"[N, {shape.Length}, {shape.Channels}]"
        : $"[N, {shape.Size}]";

    /// <summary>
    /// <c>ExportOnnx</c>: the steps of <c>forward</c> in evaluation mode, as data the runtime turns into ONNX nodes.
    /// Dropout is the identity there and has no step; an image network's first reshape is the exporter's.
    /// </summary>
    private static void WriteExport(SourceWriter writer, NetworkSpec network)
    {
        writer.Line("/// <summary>")
            .Line("/// Writes this network to <paramref name=\"path\"/> as an ONNX model (opset 17) that ONNX Runtime runs without TorchSharp:")
            .Line($"/// input <c>input</c> [batch, {network.InputSize}], output <c>logits</c> [batch, {network.OutputSize}], as <c>forward</c> computes them in evaluation mode.")
            .Line("/// </summary>")
            .Line($"public void {GeneratedMembers.ExportOnnx}(string path) =>")
            .Indent().Line($"{GeneratedMembers.ExportOnnx}(path, {Runtime}.OnnxWeights.Float32);").Outdent()
            .Line()
            .Line("/// <summary>Writes this network as an ONNX model with float32 weights, int8 weights with a scale per output channel, or those and fully connected layers computed in int8 (<see cref=\"global::DeclarativeDistill.OnnxWeights\"/>).</summary>")
            .Line($"public void {GeneratedMembers.ExportOnnx}(string path, {Runtime}.OnnxWeights weights) =>")
            .Indent()
            .Line($"{Runtime}.OnnxExport.Write(this, {GeneratedMembers.Description}, path, weights);")
            .Outdent();
    }

    /// <summary>
    /// <c>Description</c>: the network's operations as the runtime's data, in the order <c>forward</c> applies them, with a
    /// tap after each named layer. Every back end that is not TorchSharp code (ONNX export, quantization, pruning, hints)
    /// reads this.
    /// </summary>
    private static void WriteDescription(SourceWriter writer, NetworkSpec network)
    {
        writer.Line("/// <summary>")
            .Line("/// This network as data: its operations in the order <c>forward</c> applies them in evaluation mode, the state_dict")
            .Line("/// tensors each reads, and where each named layer's output is. ONNX export, quantization, pruning and hints read it.")
            .Line("/// </summary>")
            .Line($"public static {Runtime}.NetworkDescription {GeneratedMembers.Description} {{ get; }} = new(nameof({network.Type.Identifier}), {GeneratedMembers.InputShape}, {GeneratedMembers.OutputSize}, new {Operation.Runtime}.Operation[]")
            .Line("{")
            .Indent();
        foreach (var layer in network.Layers)
        {
            var entries = layer.Operations.SelectMany(o => o.DescriptionEntries).ToList();
            if (layer.Field is { } field)
            {
                entries.Add($"new {Operation.Runtime}.Tap({Literals.String(field)}, \"{layer.Output}\")");
            }
            foreach (string entry in entries)
            {
                var lines = entry.Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    writer.Line(lines[i] + (i == lines.Length - 1 ? "," : ""));
                }
            }
        }
        writer.Outdent()
            .Line("});")
            .Line();
    }

    /// <summary>The static members of <c>IGeneratedNetwork&lt;T&gt;</c>, which constants cannot implement, and the instance <c>Description</c>.</summary>
    private static void WriteInterface(SourceWriter writer, NetworkSpec network)
    {
        string self = $"{Runtime}.IGeneratedNetwork<{network.Type.Identifier}>";
        writer.Line()
            .Line($"// {Runtime}.IGeneratedNetwork<{network.Type.Identifier}>: the constants above, for generic code.")
            .Line($"static int {self}.{GeneratedMembers.InputSize} => {GeneratedMembers.InputSize};")
            .Line($"static string {self}.{GeneratedMembers.InputShape} => {GeneratedMembers.InputShape};")
            .Line($"static int {self}.{GeneratedMembers.OutputSize} => {GeneratedMembers.OutputSize};")
            .Line($"static long {self}.{GeneratedMembers.ParameterCount} => {GeneratedMembers.ParameterCount};")
            .Line($"static long {self}.{GeneratedMembers.MultiplyAdds} => {GeneratedMembers.MultiplyAdds};")
            .Line($"static string {self}.{GeneratedMembers.Architecture} => {GeneratedMembers.Architecture};")
            .Line($"{Runtime}.NetworkDescription {Runtime}.IGeneratedNetwork.{GeneratedMembers.Description} => {GeneratedMembers.Description};");
    }

    /// <summary><c>[N, 784]</c>, or <c>[N, 784] or [N, 1, 28, 28]</c> for an image network.</summary>
    private static string BatchShapes(NetworkSpec network) => network.Input.IsImage
        ? $"[N, {network.InputSize}] or [N, {network.Input.Channels}, {network.Input.Height}, {network.Input.Width}]"
        : $"[N, {network.InputSize}]";

    /// <summary><c>784 → 800 → 10</c>, or the declared items of a network with other layers.</summary>
    private static string Chain(NetworkSpec network) =>
        network.Input + " → " + string.Join(" → ", network.Layers.Where(l => l.Spec is not FlattenSpec { Implicit: true }).Select(l => l.Spec.Text));

    private static string ParameterText(NetworkSpec network)
    {
        if (network.IsFullyConnected)
        {
            return "the weights and biases of " + (network.Layers.Count switch
            {
                1 => "its one linear layer",
                2 => "both linear layers",
                _ => $"all {network.Layers.Count} linear layers",
            });
        }
        return "the weights and biases of every layer (batch-norm running statistics are buffers, not counted)";
    }

    private static string Describe(NetworkSpec network) =>
        network.Layers.SelectMany(l => l.Operations).Any(o => o.After(null) is not null) ? network.Activation.ToString() : "linear";

    private static string RoleText(NetworkRole role) => role switch
    {
        NetworkRole.Teacher => "Teacher",
        NetworkRole.Student => "Student",
        _ => "Teacher-assistant",
    };
}
