// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>The nonlinearity applied after every hidden layer of a generated network.</summary>
public enum Activation
{
    /// <summary>max(0, x): the default, and Hinton et al.'s choice.</summary>
    ReLU = 0,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh = 1,

    /// <summary>The Gaussian error linear unit (exact form).</summary>
    GELU = 2,

    /// <summary>The logistic sigmoid.</summary>
    Sigmoid = 3,
}
