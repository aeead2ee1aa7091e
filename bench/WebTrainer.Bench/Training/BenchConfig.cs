using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Training;

namespace WebTrainer.Bench.Training;

/// <summary>One row of the <c>train</c> table before it runs: what to train, on which data, with which pipeline settings.</summary>
internal sealed record BenchConfig(string Label, JobSpec Spec, TrainerSettings Settings)
{
    public BenchRun Open() => new(Label, Spec, Settings);
}
