namespace WebTrainer.Worker.Training.Schedules;

/// <summary>The best monitored value so far, when it was seen, and how many epochs have not beaten it.</summary>
internal sealed record EarlyStoppingState(double? Best, int BestEpoch, int BadEpochs, bool Stopped)
{
    public static EarlyStoppingState Initial { get; } = new(null, 0, 0, false);
}
