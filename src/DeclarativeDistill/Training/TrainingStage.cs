namespace DeclarativeDistill;

/// <summary>Which stage of training a progress report or a report belongs to.</summary>
public enum TrainingStage
{
    /// <summary>The whole network trains: <c>Fit</c>, <c>Distill</c>, and the second stage of FitNets.</summary>
    Whole = 0,

    /// <summary>FitNets' first stage: the student up to its guided layers, with the regressors, on the hint terms.</summary>
    Hints = 1,
}
