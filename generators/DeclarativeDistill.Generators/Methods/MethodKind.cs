using System.Collections.Generic;
using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Methods;

/// <summary>How a method's constant must be.</summary>
internal enum ConstantRule
{
    /// <summary>Positive and finite (a temperature, a weight that cannot be switched off).</summary>
    Positive,

    /// <summary>Finite and non-negative (a weight that may be 0).</summary>
    NonNegative,

    /// <summary>A whole number, 0 or more (epochs).</summary>
    WholeNonNegative,
}

/// <summary>A constant of a method's attribute: its property, its default (from the attribute's file) and its rule.</summary>
internal sealed record MethodConstant(string Property, double Default, ConstantRule Rule)
{
    /// <summary>What the rule wants, for messages and DD0007.</summary>
    public string Expected => Rule switch
    {
        ConstantRule.Positive => "a positive, finite number",
        ConstantRule.NonNegative => "a finite number, 0 or more",
        _ => "a whole number, 0 or more",
    };

    /// <summary>Whether <paramref name="value"/> keeps the rule.</summary>
    public bool Allows(double value) => Rule switch
    {
        ConstantRule.Positive => value > 0 && !double.IsInfinity(value),
        ConstantRule.NonNegative => value >= 0 && !double.IsInfinity(value),
        _ => value >= 0 && value <= int.MaxValue && value == System.Math.Floor(value),
    };
}

/// <summary>
/// Everything the generator knows of one distillation method beyond Hinton's soft targets: its attribute, its constants
/// and their rules, whether it reads a pair of layers (and which shapes it can compare), and the runtime term it
/// becomes in the student's <c>Objective</c>. Every concrete kind has a static <c>Instance</c> and is found by
/// <see cref="MethodKinds"/>: adding a method is a file like this one, its attribute and its runtime term.
/// </summary>
internal abstract class MethodKind
{
    /// <summary>Where lists of the methods show it: smaller first.</summary>
    public abstract int Order { get; }

    /// <summary>The attribute as written, without <c>Attribute</c>: <c>Dkd</c> for <c>[Dkd]</c>.</summary>
    public abstract string AttributeName { get; }

    /// <summary>The runtime's term type, in the runtime's namespace: <c>DkdTerm</c>.</summary>
    public abstract string RuntimeTerm { get; }

    /// <summary>Whether it compares a teacher layer with a student layer (a <c>LayerPairAttribute</c>).</summary>
    public abstract bool ReadsLayers { get; }

    /// <summary>Whether it compares the logits, as Hinton's soft targets do (so that Alpha = 0 is not a missing soft loss).</summary>
    public virtual bool ReadsLogits => !ReadsLayers;

    /// <summary>Its constants, in the order the term's constructor or initializer takes them.</summary>
    public abstract IReadOnlyList<MethodConstant> Constants { get; }

    /// <summary>The weights of its parts, when it has several (DD0069 when all are 0); empty otherwise.</summary>
    public virtual IReadOnlyList<string> Parts => System.Array.Empty<string>();

    /// <summary>What it is and where it comes from, for the comments of the generated objective.</summary>
    public abstract string Description { get; }

    /// <summary>The attribute's metadata name, e.g. <c>DeclarativeDistill.DkdAttribute</c>.</summary>
    public string MetadataName => "DeclarativeDistill." + AttributeName + "Attribute";

    /// <summary>What each property of its attribute takes, for DD0007: its constants, and a layer method's layers and teacher.</summary>
    public IReadOnlyDictionary<string, string> ExpectedTypes => expectedTypes ??= CreateExpectedTypes();

    private IReadOnlyDictionary<string, string>? expectedTypes;

    /// <summary>Why it cannot compare these two layers' outputs, or null when it can.</summary>
    public virtual string? IncompatibleShapes(FeatureTap teacher, FeatureTap student) => null;

    /// <summary>Why two layers are not feature maps of one height and width, for methods that compare them position by position.</summary>
    protected static string? SameSizeMaps(string method, FeatureTap teacher, FeatureTap student)
    {
        string both = $"the student's {student.Name} gives {student.Shape.Describe()} and the teacher's {teacher.Name} gives {teacher.Shape.Describe()}";
        if (!teacher.Shape.IsImage || !student.Shape.IsImage)
        {
            return $"{method} compares feature maps, but {both}: name two convolutional layers";
        }
        return teacher.Shape.Height != student.Shape.Height || teacher.Shape.Width != student.Shape.Width
            ? $"{method} compares maps position by position, but {both}: name layers of the same height and width"
            : null;
    }

    private IReadOnlyDictionary<string, string> CreateExpectedTypes()
    {
        var expected = new Dictionary<string, string>();
        if (ReadsLayers)
        {
            foreach (var pair in Declarations.LayerPairReader.ExpectedTypes)
            {
                expected[pair.Key] = pair.Value;
            }
        }
        foreach (var constant in Constants)
        {
            expected[constant.Property] = $"{constant.Expected}, e.g. {Literals.Format(constant.Default)}";
        }
        return expected;
    }
}
