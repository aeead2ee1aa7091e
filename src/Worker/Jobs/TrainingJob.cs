using System.Globalization;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Jobs.Runs;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Reporting;

namespace WebTrainer.Worker.Jobs;

/// <summary>
/// Runs one training job for Hangfire: guard against duplicate execution, claim the job, run it in
/// a run process (again, from its last checkpoint, when one dies, up to <c>JobQueue:MaxAttempts</c>),
/// and record how it ended. A shutdown puts the job back in the queue to resume later.
/// The run follows this host's shutdown and user cancel requests, not Hangfire's job token:
/// that token also fires when Hangfire's state of the job changes under a live run (a
/// re-delivered duplicate that was turned away completes it), which must not stop the run.
/// </summary>
internal sealed partial class TrainingJob(
    NpgsqlDataSource dataSource,
    JobRepository jobs,
    MetricsRepository metrics,
    RunSupervisor supervisor,
    CancellationWatcher watcher,
    WorkerHeartbeat heartbeat,
    JobStorage hangfireStorage,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> options,
    IOptions<JobQueueOptions> queue,
    DataRoots dataRoots,
    ILogger<TrainingJob> logger) : ITrainingJob
{
    /// <summary>Set for an optimise job, whose partial output goes when the job ends any way but Succeeded.</summary>
    private OptimizeSpec? _optimize;

    public async Task RunAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var runLock = await JobLock.TryAcquireAsync(dataSource, jobId, cancellationToken);
        if (runLock is null)
        {
            LogDuplicate(logger, jobId);
            return;
        }

        var worker = options.Value.Name;
        var row = await jobs.StartAsync(jobId, worker, cancellationToken);
        if (row is null)
        {
            await SettleUnstartableAsync(jobId, cancellationToken);
            return;
        }

        _optimize = row.ParsedOptimize;
        await using var reporter = new JobReporter(jobId, metrics, logger);
        using var userCancel = watcher.Register(jobId);
        var stopping = lifetime.ApplicationStopping;
        using var hangfireAbort = cancellationToken.Register(() => _ = OnHangfireAbortAsync(row.HangfireJobId, userCancel, reporter));
        heartbeat.SetCurrentJob(jobId);
        using var clearCurrent = new Disposable(() => heartbeat.SetCurrentJob(0));
        LogStarted(logger, jobId, worker);
        reporter.Event("info", $"Started on worker {worker}");

        int maxAttempts = queue.Value.MaxAttempts;
        while (true)
        {
            // Every start checks, a resumed one too: the file may have been replaced while the job waited or its Worker was away.
            if (DatasetChange(row) is { } change)
            {
                await FailAsync(jobId, reporter, change);
            }
            int attempt = await DatabaseRetry.RunAsync(ct => jobs.BeginAttemptAsync(jobId, ct), null, CancellationToken.None);
            if (attempt > maxAttempts)
            {
                // Earlier attempts ended with their Worker (killed, machine lost), so no death of their own was seen here.
                await FailAsync(jobId, reporter, string.Create(CultureInfo.InvariantCulture,
                    $"The {Work} run was started {attempt - 1} times without finishing (its Worker stopped each time); see the job log"));
            }
            if (attempt > 1)
            {
                reporter.Event("info", string.Create(CultureInfo.InvariantCulture,
                    $"Attempt {attempt} of {maxAttempts}: resuming from {(_optimize is null ? "the last checkpoint" : "the rows written")}"));
            }
            var end = await supervisor.RunAsync(jobId, attempt, userCancel.Token, stopping);
            if (end.Outcome is { } outcome)
            {
                await SettleAsync(jobId, reporter, outcome, worker);
                return;
            }
            var death = end.DescribeDeath();
            reporter.Event("error", string.Create(CultureInfo.InvariantCulture, $"The {Work} process {death} (attempt {attempt} of {maxAttempts})"));
            if (end.Tail.Count > 0)
            {
                reporter.Event("detail", $"Last output of the {Work} process:\n" + string.Join('\n', end.Tail));
            }
            if (userCancel.IsCancellationRequested)
            {
                await EndAsync(jobId, reporter, JobStatus.Cancelled, null, null);
                return;
            }
            if (stopping.IsCancellationRequested)
            {
                await RequeueAsync(jobId, reporter, worker);
            }
            if (attempt >= maxAttempts)
            {
                await FailAsync(jobId, reporter, string.Create(CultureInfo.InvariantCulture,
                    $"The {Work} process {death}, on {attempt} attempt{(attempt == 1 ? "" : "s")}; see the job log"));
            }
        }
    }

    /// <summary>Why the dataset file is not the one the job was validated against, or null (also for jobs queued before that was recorded).</summary>
    private string? DatasetChange(JobRow row)
    {
        if (row.ParsedDatasetIdentity is not { } validated)
        {
            return null;
        }
        var name = row.ParsedSpec.Dataset.File;
        try
        {
            return validated.Difference(DatasetFileIdentity.Of(dataRoots.ResolveExisting(name)), name);
        }
        catch (Exception ex) when (ex is DataPathException or IOException or UnauthorizedAccessException)
        {
            return $"dataset file {name} changed since this job was validated (it cannot be opened now: {ex.Message}); submit it again to validate the new file";
        }
    }

    /// <summary>What the run does, for the job log's sentences: "training" or "optimise".</summary>
    private string Work => _optimize is null ? "training" : "optimise";

    /// <summary>Records the end the run process reported.</summary>
    private async Task SettleAsync(long jobId, JobReporter reporter, RunOutcome outcome, string worker)
    {
        switch (outcome.Kind)
        {
            case RunOutcomeKind.Succeeded:
                await EndAsync(jobId, reporter, JobStatus.Succeeded, null, outcome.Test);
                LogFinished(logger, jobId, JobStatus.Succeeded);
                break;
            case RunOutcomeKind.Cancelled:
                await EndAsync(jobId, reporter, JobStatus.Cancelled, null, null);
                LogFinished(logger, jobId, JobStatus.Cancelled);
                break;
            case RunOutcomeKind.Stopped:
                await RequeueAsync(jobId, reporter, worker);
                break;
            default:
                await EndAsync(jobId, reporter, JobStatus.Failed, outcome.Error, null);
                LogFinished(logger, jobId, JobStatus.Failed);
                // Hangfire shows the job as failed too.
                throw new TrainingRunFailedException(outcome.Error ?? "The run failed");
        }
    }

    /// <summary>The Worker is shutting down: the job goes back to the queue, and the attempt is not the run's fault.</summary>
    private async Task RequeueAsync(long jobId, JobReporter reporter, string worker)
    {
        reporter.Event("warning", $"Worker {worker} is shutting down; the job goes back to the queue");
        await reporter.FlushAsync(CancellationToken.None);
        await DatabaseRetry.RunAsync(ct => jobs.ReturnAttemptAsync(jobId, ct), null, CancellationToken.None);
        await DatabaseRetry.RunAsync(ct => jobs.RequeueAsync(jobId, ct), null, CancellationToken.None);
        throw new OperationCanceledException(lifetime.ApplicationStopping);
    }

    private async Task FailAsync(long jobId, JobReporter reporter, string error)
    {
        reporter.Event("error", error);
        await EndAsync(jobId, reporter, JobStatus.Failed, error, null);
        LogFinished(logger, jobId, JobStatus.Failed);
        throw new TrainingRunFailedException(error);
    }

    /// <summary>Hangfire's token fired while this host keeps running: find out why.</summary>
    private async Task OnHangfireAbortAsync(string? hangfireJobId, CancellationWatcher.Registration userCancel, JobReporter reporter)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested || hangfireJobId is null)
        {
            return;
        }
        await Task.Yield();
        using var connection = hangfireStorage.GetConnection();
        var state = connection.GetJobData(hangfireJobId)?.State;
        if (state is null || state == DeletedState.StateName)
        {
            reporter.Event("info", "Deleted in the Hangfire dashboard: stopping at the next batch");
            userCancel.Cancel();
        }
        else
        {
            reporter.Event("warning", $"Hangfire marked this job {state} while it runs (a re-delivered duplicate was turned away); the run continues");
        }
    }

    private async Task EndAsync(long jobId, JobReporter reporter, JobStatus status, string? error, Shared.Metrics.TestResults? test)
    {
        await reporter.FlushAsync(CancellationToken.None);
        if (_optimize is not null && status != JobStatus.Succeeded)
        {
            DiscardPartialOutput(jobId, _optimize, reporter);
        }
        await DatabaseRetry.RunAsync(ct => jobs.FinishAsync(jobId, status, error, test, ct), null, CancellationToken.None);
    }

    /// <summary>A run process that died leaves its partial output for the next attempt; there is none now.</summary>
    private void DiscardPartialOutput(long jobId, OptimizeSpec spec, JobReporter reporter)
    {
        try
        {
            OptimizeFiles.Discard(OptimizeFiles.Output(dataRoots, spec), jobId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DataPathException)
        {
            reporter.Event("warning", $"The partial output could not be deleted: {ex.Message}");
        }
    }

    /// <summary>A job that cannot start: gone, already ended, or cancelled while its last Worker was away.</summary>
    private async Task SettleUnstartableAsync(long jobId, CancellationToken cancellationToken)
    {
        var row = await jobs.GetAsync(jobId, cancellationToken);
        if (row is { CancelRequested: true, ParsedStatus: JobStatus.Running })
        {
            await jobs.FinishAsync(jobId, JobStatus.Cancelled, null, null, cancellationToken);
        }
        LogNotStarted(logger, jobId, row?.Status ?? "deleted");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is already running under another execution; this duplicate exits")]
    private static partial void LogDuplicate(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} started on {Worker}")]
    private static partial void LogStarted(ILogger logger, long jobId, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ended {Status}")]
    private static partial void LogFinished(ILogger logger, long jobId, JobStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} not started: it is {Status}")]
    private static partial void LogNotStarted(ILogger logger, long jobId, string status);
}
