namespace DeclarativeDistill.Generators.Model;

/// <summary>
/// What <c>[Distill]</c> means when a property is not written: the defaults of the runtime's
/// <c>DistillAttribute</c>, which the generator cannot reference. A test holds the two equal.
/// </summary>
internal static class DistillationDefaults
{
    public const double Temperature = 4;
    public const double Alpha = 0.9;
}
