namespace WebTrainer.Shared.Sweeps;

/// <summary>What cancelling a sweep did: queued jobs cancelled at once, running ones asked to stop at their next batch.</summary>
public sealed record SweepCancelled(long Id, int CancelledWhileQueued, int StopRequested);
