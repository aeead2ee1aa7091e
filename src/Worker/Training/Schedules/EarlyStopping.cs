using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Training.Schedules;

/// <summary>
/// Tracks the best epoch by the monitored metric (for the <c>best</c> checkpoint, always) and,
/// when the spec asks for it, stops after <c>patience</c> epochs without an improvement of more
/// than <c>minDelta</c>.
/// </summary>
internal sealed class EarlyStopping(EarlyStoppingSpec? spec, MonitoredMetric metric)
{
    public EarlyStoppingState State { get; private set; } = EarlyStoppingState.Initial;

    public bool Enabled => spec is not null;

    public bool RestoreBest => spec is { RestoreBest: true };

    public void Restore(EarlyStoppingState state) => State = state;

    /// <summary>Records an epoch's monitored value; true when it is the new best.</summary>
    public bool Observe(int epoch, double value)
    {
        if (metric.Improves(value, State.Best, spec?.MinDelta ?? 0))
        {
            State = State with { Best = value, BestEpoch = epoch, BadEpochs = 0 };
            return true;
        }
        int bad = State.BadEpochs + 1;
        State = State with { BadEpochs = bad, Stopped = spec is not null && bad >= Math.Max(1, spec.Patience) };
        return false;
    }
}
