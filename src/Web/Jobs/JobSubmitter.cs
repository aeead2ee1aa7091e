using FluentValidation;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Jobs;

/// <summary>
/// Validates a spec (fields, then the dataset file itself), stores the job and enqueues it.
/// A spec that fails any check is answered with the problem and nothing is queued.
/// </summary>
internal sealed partial class JobSubmitter(
    IValidator<JobSpec> validator,
    DataRoots dataRoots,
    JobRepository jobs,
    QueueRepository queueRepository,
    HelperClient helpers,
    JobQuota quota,
    ILogger<JobSubmitter> logger)
{
    public async Task<SubmitResult> SubmitAsync(JobSpec spec, string owner, CancellationToken cancellationToken)
    {
        if (await ValidateFieldsAsync(spec, cancellationToken) is { } errors)
        {
            return SubmitResult.Invalid(errors);
        }
        var identity = IdentifyDataset(spec);
        var (problem, warnings) = await CheckDatasetAsync(spec, cancellationToken);
        if (problem is not null)
        {
            return SubmitResult.Rejected(problem);
        }

        if (await quota.ExceededAsync(owner, 1, cancellationToken) is { } over)
        {
            return SubmitResult.OverQuota(over);
        }
        var queue = JobQueues.ForDevice(spec.Training.Device);
        var id = await jobs.CreateAsync(spec, owner, queue, identity, cancellationToken);
        // The job waits in the jobs table; the dispatcher hands it to Hangfire when a Worker is free.
        await queueRepository.WakeDispatcherAsync(cancellationToken);
        LogQueued(logger, id, spec.Name, owner, queue);
        return SubmitResult.Queued(id, warnings);
    }

    /// <summary>The spec's field errors by path, or null when its fields are valid. Sweeps check each point with it.</summary>
    public async Task<IDictionary<string, string[]>?> ValidateFieldsAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(spec, cancellationToken);
        return validation.IsValid ? null : validation.ToDictionary();
    }

    /// <summary>
    /// The identity of the spec's dataset file, which its run compares with the file it opens. Taken before
    /// the check reads the file, so a change during the check is caught too; null when the name does not
    /// resolve or the file cannot be opened, which the check then reports.
    /// </summary>
    public DatasetFileIdentity? IdentifyDataset(JobSpec spec)
    {
        try
        {
            return DatasetFileIdentity.Of(dataRoots.ResolveExisting(spec.Dataset.File));
        }
        catch (Exception ex) when (ex is DataPathException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The dataset file as the Worker will see it (shapes, dtypes, label range, matching lengths, NaN in a
    /// sample of float images, read-cost advice), checked by a helper process; a problem means nothing may
    /// be queued. A helper that dies, hangs or runs out of memory throws <see cref="HelperFailedException"/>.
    /// </summary>
    public async Task<(string? Problem, IReadOnlyList<string> Warnings)> CheckDatasetAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        string file;
        try
        {
            file = dataRoots.ResolveExisting(spec.Dataset.File);
        }
        catch (DataPathException ex)
        {
            return ($"dataset.file {ex.Message}", []);
        }
        var checkedFile = await helpers.ValidateAsync(file, spec, cancellationToken);
        return (checkedFile.Problem, checkedFile.Warnings);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued job {JobId} '{Name}' for {Owner} on queue {Queue}")]
    private static partial void LogQueued(ILogger logger, long jobId, string name, string owner, string queue);
}
