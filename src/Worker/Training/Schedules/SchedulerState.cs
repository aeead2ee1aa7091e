namespace WebTrainer.Worker.Training.Schedules;

/// <summary>What the learning-rate schedule remembers between epochs (only plateau has memory); plain numbers, so it checkpoints as JSON.</summary>
internal sealed record SchedulerState(double Multiplier, double? Best, int BadEpochs)
{
    public static SchedulerState Initial { get; } = new(1.0, null, 0);
}
