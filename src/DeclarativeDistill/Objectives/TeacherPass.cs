using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// One forward pass of the teachers for what is read of them: each teacher runs once, by <c>call</c> when only its logits
/// are read, else by one pass of <c>Features</c> that stops at the deepest layer read (and goes on to the logits when they
/// are read too). Distillation and the teacher-output store both run the teachers through it.
/// </summary>
internal sealed class TeacherPass
{
    private readonly IReadOnlyList<Model> teachers;
    private readonly string[][] layers;
    private readonly string?[] logitsLayers;

    /// <param name="teachers">The teachers, in the distillation's order.</param>
    /// <param name="layers">Per teacher, the layers read (each a layer of its <see cref="IFeatureLayers"/>).</param>
    /// <param name="logits">Whether every teacher's logits are read.</param>
    public TeacherPass(IReadOnlyList<Model> teachers, string[][] layers, bool logits)
    {
        this.teachers = teachers;
        this.layers = layers;
        Logits = logits;
        logitsLayers = layers
            .Select((read, i) => read.Length > 0 && logits ? ((IFeatureLayers)teachers[i]).FeatureLayers[^1] : null)
            .ToArray();
    }

    /// <summary>Whether the teachers' logits are read.</summary>
    public bool Logits { get; }

    /// <summary>Per teacher, the layers read.</summary>
    public IReadOnlyList<string[]> Layers => layers;

    /// <summary>Whether anything of the teachers is read.</summary>
    public bool ReadsAnything => Logits || layers.Any(l => l.Length > 0);

    /// <summary>The outputs read, for a batch (run under the caller's <c>no_grad</c>).</summary>
    public TeacherOutputs Run(Tensor features)
    {
        var logits = new Tensor?[teachers.Count];
        var outputs = new Dictionary<(int, string), Tensor>();
        for (int t = 0; t < teachers.Count; t++)
        {
            if (layers[t].Length == 0)
            {
                logits[t] = Logits ? teachers[t].call(features) : null;
                continue;
            }
            string? last = logitsLayers[t];
            var asked = last is null ? layers[t] : layers[t].Append(last).ToArray();
            var values = ((IFeatureLayers)teachers[t]).Features(features, asked);
            for (int i = 0; i < layers[t].Length; i++)
            {
                outputs[(t, layers[t][i])] = values[i];
            }
            logits[t] = last is null ? null : values[^1];
        }
        return new TeacherOutputs(logits, outputs, features.shape[0]);
    }
}
