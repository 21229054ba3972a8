using System;
using DeclarativeDistill;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace Samples.CompressionStudy.Study;

/// <summary>What the study needs of one generated network: its constants and its generated methods, untyped.</summary>
public sealed record Network(
    string Name,
    string Family,
    string Tier,
    string Architecture,
    long Parameters,
    long MultiplyAdds,
    FeatureShape Input,
    Func<Model> Create,
    Func<Model, LabeledDataset, TrainingOptions, TrainingReport> Fit);

/// <summary>A family's student: a network that can also be distilled from the family's deepest network.</summary>
public sealed record Student(Network Network, Func<Model, Model, LabeledDataset, TrainingOptions, TrainingReport> Distill, DistillationObjective Objective);
