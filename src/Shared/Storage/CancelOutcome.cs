namespace WebTrainer.Shared.Storage;

/// <summary>What a cancel request found: a job still queued is cancelled at once, a running one is told to stop.</summary>
public enum CancelOutcome
{
    NotFound,
    CancelledWhileQueued,
    StopRequested,
    AlreadyFinished,
}
