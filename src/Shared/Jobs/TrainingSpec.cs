namespace WebTrainer.Shared.Jobs;

/// <summary>Optimisation settings of a run.</summary>
public sealed record TrainingSpec
{
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 64;

    /// <summary>One of <see cref="Optimizers.All"/>.</summary>
    public string Optimizer { get; init; } = Optimizers.Adam;
    public double LearningRate { get; init; } = 0.001;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    public double WeightDecay { get; init; }
    public int Seed { get; init; } = 42;

    /// <summary>One of <see cref="SamplingModes.All"/>; how the train split is shuffled each epoch.</summary>
    public string Sampling { get; init; } = SamplingModes.Auto;

    /// <summary>Blocks per shuffle window in <c>chunked</c> sampling.</summary>
    public int ShuffleWindowBlocks { get; init; } = 8;

    /// <summary><c>auto</c>, <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "auto";

    public LearningRateSchedule? Schedule { get; init; }
    public double LabelSmoothing { get; init; }
    public IReadOnlyList<double>? ClassWeights { get; init; }
    public EarlyStoppingSpec? EarlyStopping { get; init; }

    /// <summary>
    /// Rescale the gradients so their global L2 norm is at most this before each optimiser step
    /// (PyTorch's <c>clip_grad_norm_</c>); null or 0: no clipping.
    /// </summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>
    /// Add up the gradients of this many batches before each optimiser step: the step sees the mean
    /// gradient of <c>batchSize × steps</c> images. 1: a step per batch.
    /// </summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Ramp the learning rate linearly up over this many epochs first (0: none; exclusive with <see cref="WarmupSteps"/>).</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Ramp the learning rate linearly up over this many optimiser steps first (0: none).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The warmup's first factor of the learning rate; it reaches 1 when the warmup ends.</summary>
    public double WarmupStartFactor { get; init; } = 0.1;

    /// <summary>Write the <c>last</c> checkpoint every this many batches (0: only at epoch ends).</summary>
    public int CheckpointEveryBatches { get; init; } = 200;

    /// <summary>Limit each split to its first this many samples (0: all); for quick trial runs.</summary>
    public int MaxSamplesPerSplit { get; init; }
}
