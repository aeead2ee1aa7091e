using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Data;

/// <summary>How a split is loaded: batching, sampling, parallelism, and how much memory batches may hold.</summary>
internal sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 64;

    /// <summary>One of <see cref="SamplingModes.All"/>.</summary>
    public string Sampling { get; init; } = SamplingModes.Sequential;

    /// <summary>Blocks per shuffle window in <c>chunked</c> sampling.</summary>
    public int ShuffleWindowBlocks { get; init; } = 8;

    /// <summary>Target bytes of one block in <c>chunked</c> sampling; blocks stay whole chunks.</summary>
    public long BlockTargetBytes { get; init; } = 2L * 1024 * 1024;

    public ulong Seed { get; init; }

    /// <summary>Batches read and collated at the same time, each by its own reader (file handle and chunk cache).</summary>
    public int Readers { get; init; } = 2;

    /// <summary>
    /// Bytes that batches being read, waiting, and held by the trainer may use together. A batch
    /// larger than the budget still runs, alone.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Told the index of each batch as it is handed out (the run's position, for its heartbeat and error texts).</summary>
    public Action<int>? BatchHandedOut { get; init; }
}
