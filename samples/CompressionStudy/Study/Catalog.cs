using System.Collections.Generic;
using DeclarativeDistill;
using Samples.CompressionStudy.Cnn;
using Samples.CompressionStudy.Mlp;
using Samples.CompressionStudy.ResNet;

namespace Samples.CompressionStudy.Study;

/// <summary>A family: its three baselines (Simple, Medium, Deep), its student, and how long each trains.</summary>
public sealed record Family(string Name, IReadOnlyList<Network> Baselines, Student Student, int Epochs, double LearningRate);

/// <summary>The networks of Models/Baselines.cs, each bound to its generated members through <see cref="IGeneratedNetwork{TSelf}"/>.</summary>
public static class Catalog
{
    public static IReadOnlyList<Family> Families(StudyBudget budget) => new[]
    {
        new Family("MLP",
            new[]
            {
                Net<MlpSimple>("MLP", "Simple"),
                Net<MlpMedium>("MLP", "Medium"),
                Net<MlpDeep>("MLP", "Deep"),
            },
            new Student(
                Net<MlpStudent>("MLP", "Student"),
                (s, t, d, o) => ((MlpStudent)s).Distill((MlpDeep)t, d, o), MlpStudent.Objective),
            budget.MlpEpochs, 0.1),
        new Family("CNN",
            new[]
            {
                Net<CnnSimple>("CNN", "Simple"),
                Net<CnnMedium>("CNN", "Medium"),
                Net<CnnDeep>("CNN", "Deep"),
            },
            new Student(
                Net<CnnStudent>("CNN", "Student"),
                (s, t, d, o) => ((CnnStudent)s).Distill((CnnDeep)t, d, o), CnnStudent.Objective),
            budget.CnnEpochs, 0.05),
        new Family("ResNet",
            new[]
            {
                Net<ResNetSimple>("ResNet", "Simple"),
                Net<ResNetMedium>("ResNet", "Medium"),
                Net<ResNetDeep>("ResNet", "Deep"),
            },
            new Student(
                Net<ResNetStudent>("ResNet", "Student"),
                (s, t, d, o) => ((ResNetStudent)s).Distill((ResNetDeep)t, d, o), ResNetStudent.Objective),
            budget.ResNetEpochs, 0.05),
    };

    /// <summary>A generated network's constants, read from its type, and its Fit.</summary>
    private static Network Net<T>(string family, string tier)
        where T : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>, IGeneratedNetwork<T>, new() =>
        new($"{family} {tier}", family, tier, T.Architecture, T.ParameterCount, T.MultiplyAdds, FeatureShape.Parse(T.InputShape), () => new T(),
            (model, data, options) => ((T)model).Fit(data, options));
}
