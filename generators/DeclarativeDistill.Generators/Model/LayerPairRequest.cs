namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// A teacher layer and a student layer as a <c>[Hint]</c> or a layer method (<c>[AttentionTransfer]</c>, <c>[Rkd]</c>...)
/// names them, with where each argument is. Layer names are null when not written (reported there); <see cref="Teacher"/>
/// is the fully qualified name of <c>Teacher = typeof(...)</c>, if given.
/// </summary>
internal sealed record LayerPairRequest(
    string? TeacherLayer,
    string? StudentLayer,
    string? Teacher,
    string? TeacherDisplayName,
    LocationInfo? AttributeLocation,
    LocationInfo? TeacherLayerLocation,
    LocationInfo? StudentLayerLocation,
    LocationInfo? TeacherLocation);

/// <summary>A pair of layers after resolution: which teacher (by position in the distillation), and each side's layer and output shape.</summary>
internal sealed record ResolvedLayerPair(int Teacher, string TeacherName, FeatureTap TeacherLayer, FeatureTap StudentLayer)
{
    /// <summary><c>conv3 (16x14x14) against res2 of Demo.T (32x14x14)</c>, for the comments of the generated objective.</summary>
    public string Describe() => $"{StudentLayer.Name} ({StudentLayer.Shape}) against {TeacherLayer.Name} of {TeacherName} ({TeacherLayer.Shape})";
}
