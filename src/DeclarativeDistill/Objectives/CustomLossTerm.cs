using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// A loss of your own, (student logits, teachers' logits, labels) → a scalar, with the teachers' logits combined at
/// <paramref name="Temperature"/> (<see cref="KnowledgeDistillation.EnsembleLogits"/>): what the delegate overload of
/// <see cref="Trainer.Distill(TorchSharp.torch.nn.Module{Tensor, Tensor}, int, int, IReadOnlyList{TorchSharp.torch.nn.Module{Tensor, Tensor}}, double, DataSource, Func{Tensor, Tensor, Tensor, Tensor}, TrainingOptions?)"/>
/// trains with. Its fingerprint cannot see inside the delegate: a checkpoint directory serves one such loss.
/// </summary>
internal sealed record CustomLossTerm(Func<Tensor, Tensor, Tensor, Tensor> Loss, double Temperature) : DistillationTerm
{
    public override string Name => "loss";

    internal override IEnumerable<(string Key, double Value)> Constants => new[] { ("T", Temperature) };

    internal override bool NeedsLabels => true;

    internal override bool ReadsStudentLogits => true;

    internal override bool ReadsTeacherLogits => true;

    internal override TermRuntime Start(TermSetup setup) => new Runtime(this);

    private sealed class Runtime : TermRuntime
    {
        private readonly CustomLossTerm term;

        public Runtime(CustomLossTerm term)
            : base(term) => this.term = term;

        public override Tensor[] TeacherSide(TeacherOutputs teachers) =>
            new[] { KnowledgeDistillation.EnsembleLogits(teachers.Logits, term.Temperature) };

        public override Tensor Compute(TermBatch batch) => term.Loss(batch.Student.Logits, batch.Teacher[0], batch.Labels!);
    }
}
