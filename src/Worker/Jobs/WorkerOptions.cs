using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Jobs;

/// <summary>This Worker process: its name, device, threads and data pipeline sizes.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Shown in the dashboard; defaults to host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary><c>auto</c> (CUDA if present), <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = Devices.Auto;

    /// <summary>libtorch intra- and inter-op threads.</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Batches read and collated in parallel by the data pipeline.</summary>
    public int Readers { get; set; } = 2;

    /// <summary>Memory the prefetch queue of ready batches may use.</summary>
    public int PrefetchBudgetMegabytes { get; set; } = 256;

    /// <summary>
    /// Hand uint8 batches that need no CPU augmentation to the training device as stored, where they
    /// become float; false decodes every batch to float on the CPU.
    /// </summary>
    public bool StoredBatches { get; set; } = true;

    /// <summary>Bytes an optimise job reads and writes per step (its heartbeat, progress report and cancel point).</summary>
    public long OptimizeBlockBytes { get; set; } = 64L * 1024 * 1024;
}
