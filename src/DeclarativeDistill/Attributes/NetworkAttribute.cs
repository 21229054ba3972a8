using System;

// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>
/// The architecture shared by <see cref="TeacherAttribute"/> and <see cref="StudentAttribute"/>: a
/// fully connected network whose layer widths are listed input first, classes last.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public abstract class NetworkAttribute : Attribute
{
    /// <summary>
    /// Comma-separated layer widths, input first and number of classes last, e.g. <c>"784,800,800,10"</c>.
    /// Spaces around the commas are allowed. At least two widths (input and output) are required.
    /// </summary>
    public string Layers { get; set; } = "";

    /// <summary>The nonlinearity after every hidden layer. Default <see cref="Activation.ReLU"/>.</summary>
    public Activation Activation { get; set; } = Activation.ReLU;

    /// <summary>Dropout probability applied after every hidden layer while training, in [0, 1). Default 0.</summary>
    public double Dropout { get; set; }
}
