using System.Collections.Generic;
using DeclarativeDistill;
using Samples.CompressionStudy.Cnn;
using Samples.CompressionStudy.Mlp;
using Samples.CompressionStudy.ResNet;

namespace Samples.CompressionStudy.Study;

/// <summary>A family: its three baselines (Simple, Medium, Deep), its student, and how long each trains.</summary>
public sealed record Family(string Name, IReadOnlyList<Network> Baselines, Student Student, int Epochs, double LearningRate);

/// <summary>The networks of Models/Baselines.cs, each bound to its generated members.</summary>
public static class Catalog
{
    public static IReadOnlyList<Family> Families(StudyBudget budget) => new[]
    {
        new Family("MLP",
            new[]
            {
                Net<MlpSimple>("MLP", "Simple", MlpSimple.Architecture, MlpSimple.ParameterCount, MlpSimple.MultiplyAdds, MlpSimple.InputShape, (m, d, o) => m.Fit(d, o)),
                Net<MlpMedium>("MLP", "Medium", MlpMedium.Architecture, MlpMedium.ParameterCount, MlpMedium.MultiplyAdds, MlpMedium.InputShape, (m, d, o) => m.Fit(d, o)),
                Net<MlpDeep>("MLP", "Deep", MlpDeep.Architecture, MlpDeep.ParameterCount, MlpDeep.MultiplyAdds, MlpDeep.InputShape, (m, d, o) => m.Fit(d, o)),
            },
            new Student(
                Net<MlpStudent>("MLP", "Student", MlpStudent.Architecture, MlpStudent.ParameterCount, MlpStudent.MultiplyAdds, MlpStudent.InputShape, (m, d, o) => m.Fit(d, o)),
                (s, t, d, o) => ((MlpStudent)s).Distill((MlpDeep)t, d, o), MlpStudent.Objective),
            budget.MlpEpochs, 0.1),
        new Family("CNN",
            new[]
            {
                Net<CnnSimple>("CNN", "Simple", CnnSimple.Architecture, CnnSimple.ParameterCount, CnnSimple.MultiplyAdds, CnnSimple.InputShape, (m, d, o) => m.Fit(d, o)),
                Net<CnnMedium>("CNN", "Medium", CnnMedium.Architecture, CnnMedium.ParameterCount, CnnMedium.MultiplyAdds, CnnMedium.InputShape, (m, d, o) => m.Fit(d, o)),
                Net<CnnDeep>("CNN", "Deep", CnnDeep.Architecture, CnnDeep.ParameterCount, CnnDeep.MultiplyAdds, CnnDeep.InputShape, (m, d, o) => m.Fit(d, o)),
            },
            new Student(
                Net<CnnStudent>("CNN", "Student", CnnStudent.Architecture, CnnStudent.ParameterCount, CnnStudent.MultiplyAdds, CnnStudent.InputShape, (m, d, o) => m.Fit(d, o)),
                (s, t, d, o) => ((CnnStudent)s).Distill((CnnDeep)t, d, o), CnnStudent.Objective),
            budget.CnnEpochs, 0.05),
        new Family("ResNet",
            new[]
            {
                Net<ResNetSimple>("ResNet", "Simple", ResNetSimple.Architecture, ResNetSimple.ParameterCount, ResNetSimple.MultiplyAdds, ResNetSimple.InputShape, (m, d, o) => m.Fit(d, o)),
                Net<ResNetMedium>("ResNet", "Medium", ResNetMedium.Architecture, ResNetMedium.ParameterCount, ResNetMedium.MultiplyAdds, ResNetMedium.InputShape, (m, d, o) => m.Fit(d, o)),
                Net<ResNetDeep>("ResNet", "Deep", ResNetDeep.Architecture, ResNetDeep.ParameterCount, ResNetDeep.MultiplyAdds, ResNetDeep.InputShape, (m, d, o) => m.Fit(d, o)),
            },
            new Student(
                Net<ResNetStudent>("ResNet", "Student", ResNetStudent.Architecture, ResNetStudent.ParameterCount, ResNetStudent.MultiplyAdds, ResNetStudent.InputShape, (m, d, o) => m.Fit(d, o)),
                (s, t, d, o) => ((ResNetStudent)s).Distill((ResNetDeep)t, d, o), ResNetStudent.Objective),
            budget.ResNetEpochs, 0.05),
    };

    private static Network Net<T>(string family, string tier, string architecture, long parameters, long multiplyAdds, string inputShape,
        System.Func<T, LabeledDataset, TrainingOptions, TrainingReport> fit)
        where T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>, new() =>
        new($"{family} {tier}", family, tier, architecture, parameters, multiplyAdds, FeatureShape.Parse(inputShape), () => new T(),
            (model, data, options) => fit((T)model, data, options));
}
