using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// The student's layers and the modules its terms train beside it (hint regressors) as one module, for the training
/// loop: its parameters, buffers, device moves, modes and checkpoints cover both. The student's layers keep their names,
/// so a pruning mask still binds; the adapters sit under <c>term_adapters</c>.
/// </summary>
internal sealed class StudentWithAdapters : Model
{
    public StudentWithAdapters(Model student, IReadOnlyList<Model> adapters)
        : base(student.GetName())
    {
        foreach (var (name, module) in student.named_children())
        {
            register_module(name, module);
        }
        register_module("term_adapters", nn.ModuleList(adapters.ToArray()));
    }

    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException("The training loop computes the loss through the student and its terms.");
}
