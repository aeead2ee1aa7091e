namespace WebTrainer.Worker.Data;

/// <summary>How a split is loaded: batching, shuffling, and how much memory ready batches may hold.</summary>
internal sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 64;
    public bool Shuffle { get; init; }
    public ulong Seed { get; init; }

    /// <summary>Batches read and collated at the same time.</summary>
    public int Readers { get; init; } = 2;

    /// <summary>Bytes that batches in flight and ready may hold together (at least one batch is always allowed).</summary>
    public long MemoryBudgetBytes { get; init; } = 256L * 1024 * 1024;
}
