namespace WebTrainer.Shared.Storage;

/// <summary>Hangfire's PostgreSQL queue settings, shared by the Web (which enqueues) and Workers (which fetch).</summary>
public sealed class JobQueueOptions
{
    public const string SectionName = "JobQueue";

    /// <summary>
    /// How long a fetched job stays invisible to other Workers. With the sliding timeout on, a
    /// live Worker keeps extending it, so only a dead Worker's job is handed out again.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public bool UseSlidingInvisibilityTimeout { get; set; } = true;

    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs one person may have running (or handed to a Worker) at once; the rest wait their turn.</summary>
    public int MaxRunningPerUser { get; set; } = 2;

    /// <summary>
    /// Starts of a job's run process before it fails for good: a run process that dies (a native
    /// crash, the out-of-memory killer, a stall) is resumed from its last checkpoint until then.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>A run process that hands no batch to the model for this long is taken for hung and killed.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
