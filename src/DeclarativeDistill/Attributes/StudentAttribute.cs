using System;

// The generator compiles this file too (linked), so that attribute property names, enum values and defaults are
// written once: there it lives in DeclarativeDistill.Generators.RuntimeContract, which no user code sees.
#if DECLARATIVE_DISTILL_RUNTIME
namespace DeclarativeDistill;
#else
namespace DeclarativeDistill.Generators.RuntimeContract;
#endif

/// <summary>
/// Declares a student network. With <see cref="DistillAttribute"/> the generated class also gets a typed
/// <c>Distill(teacher, transferSet)</c>; without it, only <c>Fit</c> and <c>Evaluate</c> (a baseline).
/// A class may be both a <see cref="TeacherAttribute"/> and a student (a teacher assistant); the two
/// attributes then describe one network and must agree, or one of them may leave <c>Layers</c> empty.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StudentAttribute : NetworkAttribute
{
}
