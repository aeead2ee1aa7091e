using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Reporting;
using WebTrainer.Worker.Storage;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs;

/// <summary>
/// Runs one training job for Hangfire: guard against duplicate execution, claim the job, train,
/// and record how it ended. A shutdown puts the job back in the queue to resume later.
/// The run follows this host's shutdown and user cancel requests, not Hangfire's job token:
/// that token also fires when Hangfire's state of the job changes under a live run (a
/// re-delivered duplicate that was turned away completes it), which must not stop the run.
/// </summary>
internal sealed partial class TrainingJob(
    NpgsqlDataSource dataSource,
    JobRepository jobs,
    MetricsRepository metrics,
    DataRoots dataRoots,
    CancellationWatcher watcher,
    WorkerHeartbeat heartbeat,
    JobStorage hangfireStorage,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> options,
    IOptions<ArtifactOptions> artifacts,
    ILogger<TrainingJob> logger) : ITrainingJob
{
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

        var spec = row.ParsedSpec;
        await using var reporter = new JobReporter(jobId, metrics, logger);
        using var userCancel = watcher.Register(jobId);
        var stopping = lifetime.ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, userCancel.Token);
        using var hangfireAbort = cancellationToken.Register(() => _ = OnHangfireAbortAsync(row.HangfireJobId, userCancel, reporter));
        heartbeat.SetCurrentJob(jobId);
        using var clearCurrent = new Disposable(() => heartbeat.SetCurrentJob(0));
        LogStarted(logger, jobId, worker);
        reporter.Event("info", $"Started on worker {worker}");
        try
        {
            var file = dataRoots.ResolveExisting(spec.Dataset.File);
            using var data = TrainingData.Open(file, spec.Dataset, spec.Training.MaxSamplesPerSplit);
            var settings = new TrainerSettings
            {
                Device = options.Value.Device,
                Readers = options.Value.Readers,
                PrefetchBudgetBytes = options.Value.PrefetchBudgetMegabytes * 1024L * 1024,
                StoredBatches = options.Value.StoredBatches,
                // Checkpoints and the model live here; a last.ckpt left by an earlier execution is resumed from.
                RunDirectory = artifacts.Value.JobFolder(jobId, row.RunKey),
                PretrainedWeightsFile = spec.Model.PretrainedWeights is { } weights ? dataRoots.ResolveExisting(weights) : null,
            };
            var test = await new Trainer(settings, reporter).RunAsync(spec, data, linked.Token);
            if (test is not null)
            {
                reporter.Event("info", $"Test accuracy {test.Accuracy:P2} (loss {test.Loss:F4})");
            }
            await EndAsync(jobId, reporter, JobStatus.Succeeded, null, test);
            LogFinished(logger, jobId, JobStatus.Succeeded);
        }
        catch (OperationCanceledException) when (userCancel.IsCancellationRequested)
        {
            reporter.Event("info", "Cancelled on request");
            await EndAsync(jobId, reporter, JobStatus.Cancelled, null, null);
            LogFinished(logger, jobId, JobStatus.Cancelled);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            reporter.Event("warning", $"Worker {worker} is shutting down; the job goes back to the queue");
            await reporter.FlushAsync(CancellationToken.None);
            await DatabaseRetry.RunAsync(ct => jobs.RequeueAsync(jobId, ct), null, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is DatasetProblemException or DataPathException or NotSupportedException or InvalidOperationException)
        {
            reporter.Event("error", ex.Message);
            await EndAsync(jobId, reporter, JobStatus.Failed, ex.Message, null);
            LogFailed(logger, ex, jobId);
            throw;
        }
        catch (Exception ex)
        {
            var message = $"{ex.GetType().Name}: {ex.Message}";
            reporter.Event("error", message);
            await EndAsync(jobId, reporter, JobStatus.Failed, message, null);
            LogFailed(logger, ex, jobId);
            throw;
        }
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
        await DatabaseRetry.RunAsync(ct => jobs.FinishAsync(jobId, status, error, test, ct), null, CancellationToken.None);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} not started: it is {Status}")]
    private static partial void LogNotStarted(ILogger logger, long jobId, string status);
}
