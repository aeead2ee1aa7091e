using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Training.Schedules;

/// <summary>
/// A linear warmup in front of the schedule: optimiser step t (0-based, counted over the whole run)
/// uses the schedule's rate times <c>start + (1 − start)·t / N</c> for t &lt; N and the schedule's rate
/// from then on, as PyTorch's <c>LinearLR(start_factor, total_iters=N)</c> chained with the schedule.
/// A pure function of the step number, which the run's position gives, so it needs no checkpoint state.
/// </summary>
internal sealed class LearningRateWarmup
{
    private readonly double _start;

    private LearningRateWarmup(long steps, double startFactor)
    {
        Steps = steps;
        _start = startFactor;
    }

    /// <summary>Optimiser steps the warmup lasts; 0: none.</summary>
    public long Steps { get; }

    public static LearningRateWarmup For(TrainingSpec training, int stepsPerEpoch)
    {
        if (training.WarmupEpochs < 0 || training.WarmupSteps < 0)
        {
            throw new InvalidOperationException($"training.warmupEpochs and training.warmupSteps must be 0 or more, not {training.WarmupEpochs} and {training.WarmupSteps}");
        }
        if (training.WarmupEpochs > 0 && training.WarmupSteps > 0)
        {
            throw new InvalidOperationException("give training.warmupEpochs or training.warmupSteps, not both");
        }
        if (training.WarmupStartFactor is <= 0 or > 1 || double.IsNaN(training.WarmupStartFactor))
        {
            throw new InvalidOperationException($"training.warmupStartFactor must be in (0, 1], not {training.WarmupStartFactor}");
        }
        long steps = training.WarmupSteps > 0 ? training.WarmupSteps : (long)training.WarmupEpochs * stepsPerEpoch;
        return new LearningRateWarmup(steps, training.WarmupStartFactor);
    }

    /// <summary>The factor for optimiser step <paramref name="step"/> (0-based over the run).</summary>
    public double FactorAt(long step) => step >= Steps ? 1.0 : _start + (1 - _start) * step / Steps;
}
