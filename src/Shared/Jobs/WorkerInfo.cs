namespace WebTrainer.Shared.Jobs;

/// <summary>A Worker process as it last announced itself.</summary>
public sealed record WorkerInfo(
    string Name,
    string Device,
    int Threads,
    IReadOnlyList<string> Queues,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    long? CurrentJobId,
    bool Alive);
