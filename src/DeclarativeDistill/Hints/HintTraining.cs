// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
#pragma warning disable CS1574 // its documentation refers to runtime types the generator does not have
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>How a student with hints trains.</summary>
public enum HintTraining
{
    /// <summary>
    /// FitNets' schedule: first the student up to its deepest guided layer, with the regressors, on the hint terms
    /// alone (<see cref="TrainingOptions.HintEpochs"/> epochs); then the whole student on the distillation loss.
    /// </summary>
    TwoStages = 0,

    /// <summary>One stage: the whole student and the regressors on the distillation loss plus the hint terms.</summary>
    Combined = 1,
}
