namespace WebTrainer.Worker.Training;

/// <summary>
/// How an epoch's batches group into optimiser steps: every <c>steps</c> batches, counted from the
/// epoch's first batch, and a shorter group at the epoch's end with what is left. Each batch's mean
/// loss is weighted by its share of its group's samples, so the summed gradient is the mean gradient
/// of the group's samples, exactly as one batch of all of them would give (without class weights,
/// whose mean divides by the summed weights instead). Groups start again with every epoch, so where
/// they lie depends only on the batch index, which is what lets a run resume at a group boundary.
/// </summary>
internal sealed class GradientAccumulation
{
    private readonly int _batchSize;
    private readonly int _samples;

    public GradientAccumulation(int steps, int batchSize, int samples)
    {
        if (steps < 1)
        {
            throw new InvalidOperationException($"training.gradientAccumulationSteps must be at least 1, not {steps}");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Steps = steps;
        _batchSize = batchSize;
        _samples = samples;
        BatchesPerEpoch = (samples + batchSize - 1) / batchSize;
    }

    public int Steps { get; }
    public int BatchesPerEpoch { get; }

    /// <summary>Optimiser steps in one epoch (the last group may be short).</summary>
    public int StepsPerEpoch => (BatchesPerEpoch + Steps - 1) / Steps;

    /// <summary>Whether batch <paramref name="index"/> (0-based) opens a group: the gradients are zeroed before it.</summary>
    public bool StartsGroup(int index) => index % Steps == 0;

    /// <summary>Whether the optimiser steps after batch <paramref name="index"/>.</summary>
    public bool EndsGroup(int index) => (index + 1) % Steps == 0 || index + 1 == BatchesPerEpoch;

    /// <summary>Whether training may stop before batch <paramref name="nextBatch"/> with nothing accumulated (checkpoints land only there).</summary>
    public bool AtBoundary(int nextBatch) => nextBatch % Steps == 0 || nextBatch >= BatchesPerEpoch;

    /// <summary>Optimiser steps an epoch has taken before batch <paramref name="nextBatch"/>, a group boundary.</summary>
    public int StepsBefore(int nextBatch) => (Math.Min(nextBatch, BatchesPerEpoch) + Steps - 1) / Steps;

    /// <summary>What batch <paramref name="index"/>'s mean loss is multiplied by: its samples over its group's samples.</summary>
    public double LossScale(int index)
    {
        if (Steps == 1)
        {
            return 1.0;
        }
        int first = index / Steps * Steps;
        int last = Math.Min(first + Steps, BatchesPerEpoch) - 1;
        long groupSamples = Math.Min((long)(last + 1) * _batchSize, _samples) - (long)first * _batchSize;
        return SamplesOf(index) / (double)groupSamples;
    }

    private int SamplesOf(int index) => (int)Math.Min(_batchSize, _samples - (long)index * _batchSize);
}
