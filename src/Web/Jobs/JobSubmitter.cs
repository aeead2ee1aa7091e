using FluentValidation;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Sampling;

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
    JobQuota quota,
    ILogger<JobSubmitter> logger)
{
    public async Task<SubmitResult> SubmitAsync(JobSpec spec, string owner, CancellationToken cancellationToken)
    {
        if (await ValidateFieldsAsync(spec, cancellationToken) is { } errors)
        {
            return SubmitResult.Invalid(errors);
        }
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
        var id = await jobs.CreateAsync(spec, owner, queue, cancellationToken);
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

    /// <summary>The dataset check of a submission, off the request thread; a problem means nothing may be queued.</summary>
    public Task<(string? Problem, IReadOnlyList<string> Warnings)> CheckDatasetAsync(JobSpec spec, CancellationToken cancellationToken) =>
        Task.Run(() => CheckDataset(spec, cancellationToken), cancellationToken);

    /// <summary>
    /// The dataset file as the Worker will see it: shapes, dtypes, label range, matching lengths,
    /// NaN in a sample of float images — without reading every pixel of a 27 GB file.
    /// </summary>
    private (string? Problem, IReadOnlyList<string> Warnings) CheckDataset(JobSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            var file = dataRoots.ResolveExisting(spec.Dataset.File);
            DatasetValidator.Validate(file, spec.Dataset, cancellationToken);
            return (null, ReadWarnings(file, spec));
        }
        catch (DataPathException ex)
        {
            return ($"dataset.file {ex.Message}", []);
        }
        catch (DatasetProblemException ex)
        {
            return (ex.Message, []);
        }
    }

    /// <summary>The train images' read cost under the sampling the run will use, when it is far above the images' own bytes.</summary>
    private static IReadOnlyList<string> ReadWarnings(string file, JobSpec spec)
    {
        var images = spec.Dataset.Train.Images;
        ReadCosts costs;
        try
        {
            costs = ReadCostModel.Estimate(file, images, spec.Training.BatchSize);
        }
        catch (Exception ex) when (ex is DatasetProblemException or InvalidDataException or ArgumentException)
        {
            return []; // advice only: the file passed validation, so a cost that cannot be estimated stops nothing
        }
        var mode = ReadCostModel.Resolve(spec.Training.Sampling, costs);
        if (costs.Of(mode).Ratio <= ReadCostModel.WarnRatio)
        {
            return [];
        }
        var fix = costs.Warning(images) is { } warning && mode == costs.Auto
            ? warning
            : $"{images}: {mode} sampling reads {costs.Of(mode).Ratio:0.#}× each image's bytes, {costs.Auto} {costs.Of(costs.Auto).Ratio:0.#}×; " +
              "sampling \"auto\" picks the cheaper mode";
        return [$"training.sampling: {fix}"];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued job {JobId} '{Name}' for {Owner} on queue {Queue}")]
    private static partial void LogQueued(ILogger logger, long jobId, string name, string owner, string queue);
}
