using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training;

/// <summary>What the Worker process gives every run: device, threads, data pipeline sizes, and where the run's files go.</summary>
internal sealed record TrainerSettings
{
    public string Device { get; init; } = "auto";
    public int Readers { get; init; } = 2;
    public long PrefetchBudgetBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Splits without CPU augmentation of uint8 data get uint8 batches converted to float on the
    /// training device (a quarter of the bytes through the budget and to the GPU, no decode pass on the
    /// reader threads). Off: every batch is decoded to float32 on the CPU.
    /// </summary>
    public bool StoredBatches { get; init; } = true;

    /// <summary>
    /// Device augmentation on a CPU training device as the tensor ops a GPU runs (<c>grid_sample</c> over the
    /// batch) instead of the CPU augmenter's per-image kernels (<see cref="Data.Augmentation.DeviceAugmenter"/>):
    /// for the tests that check those ops against the CPU augmenter, and the bench. Slower on a CPU.
    /// </summary>
    public bool DeviceAugmentationTensorOps { get; init; }
    public TimeSpan BatchReportInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The run's own directory (<c>{artifacts}/jobs/{id}/</c>): checkpoints, best weights, the final
    /// model and its manifest. A <c>last.ckpt</c> there is resumed from. Null: no files at all
    /// (tests, benchmarks); best weights for restore-best are then kept in memory.
    /// </summary>
    public string? RunDirectory { get; init; }

    /// <summary>The spec's <c>model.pretrainedWeights</c>, already resolved inside a data root (required when the spec names one).</summary>
    public string? PretrainedWeightsFile { get; init; }

    /// <summary>Follows the batches handed to the model, when someone watches the run (its process's heartbeat).</summary>
    public RunPosition? Position { get; init; }

    /// <summary>Called at every optimiser step with the gradients in place, before the update (tests).</summary>
    public OptimizerStepObserver? OnOptimizerStep { get; init; }
}
