using System;
using System.CommandLine;
using System.Linq;
using Samples.Mnist;
using Samples.Mnist.FitNets;
using Samples.Mnist.Hinton;
using Samples.Mnist.Methods;

// dotnet run --project samples/Mnist [-- --epochs 30 --seed 1 --data ~/mnist --experiment without-3|only-7-8|temperature|hints|methods --deploy]
var epochs = new Option<int>("--epochs")
{
    Description = "Epochs for each student and the conv teacher; the MLP teacher trains for twice as many.",
    DefaultValueFactory = _ => Recipe.Default.StudentEpochs,
};
var seed = new Option<long>("--seed")
{
    Description = "Seed for initial weights, batch order, dropout and jitter (the same for every model).",
    DefaultValueFactory = _ => Recipe.Default.Seed,
};
var teacherLearningRate = LearningRate("--teacher-lr", "the teacher", Recipe.Default.TeacherLearningRate);
var baselineLearningRate = LearningRate("--baseline-lr", "the students trained on hard labels", Recipe.Default.BaselineLearningRate);
var distillLearningRate = LearningRate("--distill-lr", "the distilled students", Recipe.Default.DistillLearningRate);
var data = new Option<string?>("--data")
{
    Description = "28x28 grayscale images with a training and a test set, e.g. the full MNIST or Fashion-MNIST, as "
        + string.Join("; or ", DataLoading.Layouts) + ". Default: the 10,000 MNIST digits embedded in DeclarativeDistill.",
};
var experiment = new Option<string>("--experiment")
{
    Description = "compare (default): teachers and students with and without distillation. "
        + "without-3, only-7-8, temperature: Hinton et al.'s transfer-set and temperature experiments (section 3). "
        + "hints: a thin, deep student with and without a FitNets hint (Romero et al. 2015). "
        + "methods: one conv student trained with each distillation method (KD, DKD, DIST, attention transfer, RKD, similarity-preserving, PKT) and without, over three seeds; methods-selection: how their constants were chosen, on held-out training images.",
    DefaultValueFactory = _ => "compare",
};
experiment.AcceptOnlyFromAmong(new[] { "compare" }.Concat(HintonExperiments.Names).Append(FitNetsExperiment.Name).Append(MethodsExperiment.Name).Append(MethodsExperiment.SelectionName).ToArray());
var deploy = new Option<bool>("--deploy")
{
    Description = "Also export each model to ONNX (float32, int8 weights, dynamic int8, static int8 calibrated on the training images) and report each file's size, accuracy (from ONNX Runtime) and latency.",
};
var threads = new Option<int>("--threads")
{
    Description = "CPU threads for TorchSharp (default: all cores).",
    DefaultValueFactory = _ => Environment.ProcessorCount,
};

var root = new RootCommand("Trains Hinton et al.'s MNIST teacher and a conv teacher, then their students with and without distillation, and compares them.")
{
    epochs, seed, teacherLearningRate, baselineLearningRate, distillLearningRate, data, experiment, threads, deploy,
};
epochs.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--epochs must be at least 1.");
    }
});
threads.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--threads must be at least 1.");
    }
});
root.SetAction(result =>
{
    var recipe = Recipe.Default with
    {
        StudentEpochs = result.GetValue(epochs),
        TeacherEpochs = 2 * result.GetValue(epochs),
        ConvTeacherEpochs = result.GetValue(epochs),
        Seed = result.GetValue(seed),
        TeacherLearningRate = result.GetValue(teacherLearningRate),
        BaselineLearningRate = result.GetValue(baselineLearningRate),
        DistillLearningRate = result.GetValue(distillLearningRate),
    };
    return Experiment.Run(recipe, result.GetValue(data), result.GetValue(threads), result.GetValue(experiment)!, result.GetValue(deploy));
});
return root.Parse(args).Invoke();

static Option<double> LearningRate(string name, string whose, double defaultValue)
{
    var option = new Option<double>(name)
    {
        Description = $"Initial SGD learning rate of {whose} (cosine decay to zero).",
        DefaultValueFactory = _ => defaultValue,
    };
    option.Validators.Add(result =>
    {
        double value = result.GetValueOrDefault<double>();
        if (!(value > 0) || double.IsInfinity(value))
        {
            result.AddError($"{name} must be positive.");
        }
    });
    return option;
}
