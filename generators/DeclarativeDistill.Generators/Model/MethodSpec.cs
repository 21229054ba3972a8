namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// One method attribute (<c>[Dkd]</c>, <c>[AttentionTransfer]</c>...) as written on a student: its kind (the attribute's
/// name without <c>Attribute</c>), its named arguments as written, and the layers it pairs (null for a method on the logits).
/// </summary>
internal sealed record MethodRequest(string Kind, AttributeCapture Attribute, LayerPairRequest? Layers);

/// <summary>A constant of a method as the term receives it: its property, its value, and whether the user wrote it.</summary>
internal sealed record MethodValue(string Property, double Value, bool Written, bool WholeNumber);

/// <summary>A method after analysis: its kind, every constant (declared or default) and, for a layer method, its resolved layers.</summary>
internal sealed record ResolvedMethod(string Kind, EquatableArray<MethodValue> Values, ResolvedLayerPair? Layers);
