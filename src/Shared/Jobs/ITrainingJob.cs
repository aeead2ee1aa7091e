namespace WebTrainer.Shared.Jobs;

/// <summary>
/// The background job the Web enqueues and a Worker runs. Arguments stay small (an id):
/// everything else is loaded from the database, so the job is reentrant.
/// </summary>
public interface ITrainingJob
{
    Task RunAsync(long jobId, CancellationToken cancellationToken);
}
