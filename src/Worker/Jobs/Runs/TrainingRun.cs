using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Reporting;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// The run process's work: train one job (resuming from its run directory's checkpoint), write its
/// metrics and events, and say how it ended; an optimise job goes to <see cref="Optimizing.OptimizeRun"/>.
/// The job's status is the Worker's to set.
/// </summary>
internal sealed partial class TrainingRun(
    JobRepository jobs,
    MetricsRepository metrics,
    DataRoots dataRoots,
    IOptions<WorkerOptions> options,
    IOptions<ArtifactOptions> artifacts,
    Optimizing.OptimizeRun optimizeRun,
    ILogger<TrainingRun> logger)
{
    public async Task<RunOutcome> RunAsync(long jobId, RunPosition position, CancellationToken cancel, CancellationToken stop)
    {
        var row = await DatabaseRetry.RunAsync(ct => jobs.GetAsync(jobId, ct), null, stop);
        if (row is null)
        {
            return new RunOutcome { Kind = RunOutcomeKind.Failed, Error = "The job was deleted before its run started" };
        }
        await using var reporter = new JobReporter(jobId, metrics, logger);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, stop);
        var outcome = row.ParsedOptimize is { } optimize
            ? await optimizeRun.RunAsync(jobId, optimize, reporter, position, cancel, stop)
            : await TrainAsync(jobId, row, reporter, position, linked.Token, cancel, stop);
        // Everything the run reported is in the database before the Worker records its end.
        await reporter.FlushAsync(CancellationToken.None);
        return outcome;
    }

    private async Task<RunOutcome> TrainAsync(long jobId, JobRow job, JobReporter sink, RunPosition at, CancellationToken token,
        CancellationToken cancelled, CancellationToken stopped)
    {
        var spec = job.ParsedSpec;
        try
        {
            var file = dataRoots.ResolveExisting(spec.Dataset.File);
            var data = TrainingData.Open(file, spec.Dataset, spec.Training.MaxSamplesPerSplit);
            var settings = new TrainerSettings
            {
                Device = options.Value.Device,
                Readers = options.Value.Readers,
                PrefetchBudgetBytes = options.Value.PrefetchBudgetMegabytes * 1024L * 1024,
                StoredBatches = options.Value.StoredBatches,
                // Checkpoints and the model live here; a last.ckpt left by an earlier attempt is resumed from.
                RunDirectory = artifacts.Value.JobFolder(jobId, job.RunKey),
                PretrainedWeightsFile = spec.Model.PretrainedWeights is { } weights ? dataRoots.ResolveExisting(weights) : null,
                Position = at,
            };
            var test = await TrainingThread.RunAsync(() => new Trainer(settings, sink).RunAsync(spec, data, token));
            if (test is not null)
            {
                sink.Event("info", $"Test accuracy {test.Accuracy:P2} (loss {test.Loss:F4})");
            }
            return new RunOutcome { Kind = RunOutcomeKind.Succeeded, Test = test };
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            sink.Event("info", "Cancelled on request");
            return new RunOutcome { Kind = RunOutcomeKind.Cancelled };
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            return new RunOutcome { Kind = RunOutcomeKind.Stopped };
        }
        catch (Exception ex) when (ex is DatasetProblemException or DataPathException or NotSupportedException or InvalidOperationException
            or TrainingDivergedException)
        {
            LogFailed(logger, ex, jobId);
            return Failed(sink, ex.Message);
        }
        catch (ExternalException ex)
        {
            LogFailed(logger, ex, jobId);
            var error = NativeErrors.Describe(ex, at.Current);
            sink.Event("detail", $"libtorch's report:\n{ex.Message}");
            return Failed(sink, error);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, jobId);
            return Failed(sink, $"{ex.GetType().Name}: {ex.Message} ({at.Current.Describe()})");
        }
    }

    private static RunOutcome Failed(JobReporter reporter, string error)
    {
        reporter.Event("error", error);
        return new RunOutcome { Kind = RunOutcomeKind.Failed, Error = error };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, long jobId);
}
