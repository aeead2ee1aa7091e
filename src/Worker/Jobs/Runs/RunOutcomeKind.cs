namespace WebTrainer.Worker.Jobs.Runs;

internal enum RunOutcomeKind
{
    Succeeded,
    Failed,

    /// <summary>Its owner asked to stop it.</summary>
    Cancelled,

    /// <summary>Its Worker is shutting down: the job goes back to the queue and resumes later.</summary>
    Stopped,
}
