using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The student's layers and the regressors as one module, for the training loop: its parameters, buffers, device
/// moves, modes and checkpoints cover both. The student's layers keep their names, so a pruning mask still binds.
/// </summary>
internal sealed class HintedStudent : Model
{
    public HintedStudent(Model student, IReadOnlyList<Model> regressors)
        : base(student.GetName())
    {
        foreach (var (name, module) in student.named_children())
        {
            register_module(name, module);
        }
        register_module("hint_regressors", nn.ModuleList(regressors.ToArray()));
    }

    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException("The training loop computes the loss through the student's Features.");
}
