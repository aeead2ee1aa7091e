namespace WebTrainer.Shared.Sweeps;

/// <summary>The answer to a sweep submission: the sweep, its jobs in point order, and the jobs' warnings (once each).</summary>
public sealed record SweepCreated(long Id, string Url, IReadOnlyList<long> JobIds)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
