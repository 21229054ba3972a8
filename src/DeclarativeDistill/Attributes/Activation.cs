namespace DeclarativeDistill;

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
