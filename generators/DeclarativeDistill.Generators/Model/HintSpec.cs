namespace DeclarativeDistill.Generators.Model;

/// <summary>One <c>[Hint]</c> as written on a student: its layers, and its weight with where it is written.</summary>
internal sealed record HintRequest(LayerPairRequest Layers, double Weight, LocationInfo? WeightLocation);

/// <summary>
/// FitNets' regressor as the generator sized it: a convolution without padding of <see cref="KernelHeight"/> ×
/// <see cref="KernelWidth"/> from the guided layer's channels to the hint's, or a linear layer between their
/// flattened sizes; then the activation the hint ends in, if any.
/// </summary>
internal sealed record RegressorSpec(bool Convolution, long Inputs, long Outputs, long KernelHeight, long KernelWidth, RuntimeContract.Activation? Activation)
{
    /// <summary>A linear layer on each step of a sequence (both layers sequences of the same length).</summary>
    public bool PerStep { get; init; }

    /// <summary>
    /// The regressor from <paramref name="student"/>'s output to <paramref name="teacher"/>'s: FitNets' convolution
    /// between two maps (kernel (Hs − Ht + 1) × (Ws − Wt + 1), so 1×1 for equal sizes), a linear layer on each step
    /// between two sequences of the same length, a linear layer otherwise; null when the student's map is smaller than
    /// the teacher's in either direction, or a sequence meets another length or a vector.
    /// </summary>
    public static RegressorSpec? Between(FeatureTap student, FeatureTap teacher)
    {
        var (s, t) = (student.Shape, teacher.Shape);
        if (s.IsSequence || t.IsSequence)
        {
            // TinyBERT: hidden states step by step, projected when the widths differ; the steps must line up.
            return s.IsSequence && t.IsSequence && s.Length == t.Length
                ? new RegressorSpec(false, s.Channels, t.Channels, 1, 1, teacher.EndsWith) { PerStep = true }
                : null;
        }
        if (s.IsImage && t.IsImage)
        {
            return s.Height >= t.Height && s.Width >= t.Width
                ? new RegressorSpec(true, s.Channels, t.Channels, s.Height - t.Height + 1, s.Width - t.Width + 1, teacher.EndsWith)
                : null;
        }
        return new RegressorSpec(false, s.Size, t.Size, 1, 1, teacher.EndsWith);
    }

    /// <summary>Weights and biases.</summary>
    public long ParameterCount => checked(Inputs * Outputs * KernelHeight * KernelWidth + Outputs);
}

/// <summary>A hint after resolution: which teacher (by position in the distillation) and layers, its weight and regressor.</summary>
internal sealed record ResolvedHint(
    int Teacher,
    string TeacherName,
    string TeacherLayer,
    TensorShape TeacherShape,
    string StudentLayer,
    TensorShape StudentShape,
    double Weight,
    RegressorSpec Regressor);
