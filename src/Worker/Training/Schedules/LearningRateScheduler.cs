using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Training.Schedules;

/// <summary>
/// The head's learning rate for each epoch (the backbone's is a fixed multiple of it). Step and
/// cosine are pure functions of the epoch; plateau keeps a multiplier that shrinks by gamma after
/// <c>patience</c> epochs without improvement (PyTorch's relative threshold of 1e-4). Implemented
/// here rather than with TorchSharp's schedulers so its whole state is three numbers in the checkpoint.
/// </summary>
internal sealed class LearningRateScheduler
{
    public const string Step = ScheduleKinds.Step;
    public const string Cosine = ScheduleKinds.Cosine;
    public const string Plateau = ScheduleKinds.Plateau;
    private const double PlateauThreshold = 1e-4;

    private readonly LearningRateSchedule? _schedule;
    private readonly double _base;
    private readonly int _epochs;

    public LearningRateScheduler(LearningRateSchedule? schedule, double baseLearningRate, int epochs)
    {
        if (schedule is not null)
        {
            if (schedule.Kind is not (Step or Cosine or Plateau))
            {
                throw new InvalidOperationException($"training.schedule.kind '{schedule.Kind}' is not available; choose {Step}, {Cosine} or {Plateau}");
            }
            if (schedule.Kind == Step && schedule.StepEpochs < 1)
            {
                throw new InvalidOperationException($"training.schedule.stepEpochs must be at least 1, not {schedule.StepEpochs}");
            }
            if (schedule.Gamma is <= 0 or > 1 && schedule.Kind != Cosine)
            {
                throw new InvalidOperationException($"training.schedule.gamma must be in (0, 1], not {schedule.Gamma}");
            }
        }
        _schedule = schedule;
        _base = baseLearningRate;
        _epochs = Math.Max(1, epochs);
    }

    public SchedulerState State { get; private set; } = SchedulerState.Initial;

    public void Restore(SchedulerState state) => State = state;

    /// <summary>The head's learning rate during <paramref name="epoch"/> (1-based).</summary>
    public double LearningRateFor(int epoch)
    {
        if (_schedule is null)
        {
            return _base;
        }
        double min = _schedule.MinLearningRate;
        return _schedule.Kind switch
        {
            Step => _base * Math.Pow(_schedule.Gamma, (epoch - 1) / _schedule.StepEpochs),
            Cosine => min + (_base - min) * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / _epochs)),
            _ => Math.Max(min, _base * State.Multiplier),
        };
    }

    /// <summary>An epoch ended with the monitored <paramref name="value"/>; true when plateau lowered the rate.</summary>
    public bool Observe(double value, bool higherIsBetter)
    {
        if (_schedule?.Kind != Plateau)
        {
            return false;
        }
        bool improved = !double.IsNaN(value) && (State.Best is not { } best ||
            (higherIsBetter ? value > best * (1 + PlateauThreshold) : value < best * (1 - PlateauThreshold)));
        if (improved)
        {
            State = State with { Best = value, BadEpochs = 0 };
            return false;
        }
        int bad = State.BadEpochs + 1;
        if (bad < Math.Max(1, _schedule.Patience))
        {
            State = State with { BadEpochs = bad };
            return false;
        }
        State = State with { Multiplier = State.Multiplier * _schedule.Gamma, BadEpochs = 0 };
        return true;
    }
}
