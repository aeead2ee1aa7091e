namespace WebTrainer.Shared.Jobs;

/// <summary>
/// The background job a Worker's dispatcher enqueues (when a Worker is free and the fair queue says
/// whose turn it is) and a Worker runs. Arguments stay small (an id):
/// everything else is loaded from the database, so the job is reentrant.
/// </summary>
public interface ITrainingJob
{
    Task RunAsync(long jobId, CancellationToken cancellationToken);
}
