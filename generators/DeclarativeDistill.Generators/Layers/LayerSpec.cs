namespace DeclarativeDistill.Generators.Layers;

/// <summary>
/// One item of a <c>Layers</c> string as written, after the grammar and before shape inference: what the user asked
/// for and where (<see cref="Start"/> and <see cref="Length"/> count characters of the string, not of the file, so an
/// edit above the class moves nothing inside the analysis).
/// </summary>
/// <remarks>A closed hierarchy, one record per kind, each declared beside its <see cref="LayerKind"/>.</remarks>
internal abstract record LayerSpec(int Start, int Length)
{
    /// <summary>The item in its normal form, e.g. <c>conv(32, 3, stride: 2)</c>: how messages and <c>Architecture</c> show it.</summary>
    public abstract string Text { get; }

    /// <summary>The descriptor of this item's kind.</summary>
    public abstract LayerKind Kind { get; }

    /// <summary>A whole number as the grammar writes it.</summary>
    internal static string Literal(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
