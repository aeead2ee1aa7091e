using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Jobs;
using WebTrainer.Worker.Jobs.Runs;
using WebTrainer.Worker.Reporting;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// The run process's work for an optimise job: rewrite the input into the output (resuming what an
/// earlier attempt wrote) and say how it ended. A cancelled or failed run leaves no partial file; a
/// stopped or killed one leaves it for the next attempt.
/// </summary>
internal sealed partial class OptimizeRun(DataRoots dataRoots, IOptions<WorkerOptions> options, ILogger<OptimizeRun> logger)
{
    public async Task<RunOutcome> RunAsync(long jobId, OptimizeSpec spec, JobReporter sink, RunPosition position,
        CancellationToken cancelled, CancellationToken stopped)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancelled, stopped);
        string? output = null;
        try
        {
            var input = dataRoots.ResolveExisting(spec.Input);
            output = OptimizeFiles.Output(dataRoots, spec);
            var optimizer = new FileOptimizer(options.Value.OptimizeBlockBytes, sink, position);
            await Task.Run(() => optimizer.Run(jobId, input, output, spec.Layout, spec.DeflateLevel, linked.Token), CancellationToken.None);
            sink.Event("info", FormattableString.Invariant(
                $"Wrote {spec.Output} ({new FileInfo(output).Length} bytes, {Describe(spec)})"));
            return new RunOutcome { Kind = RunOutcomeKind.Succeeded };
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            Discard(output, jobId);
            sink.Event("info", "Cancelled on request; the partial output was deleted");
            return new RunOutcome { Kind = RunOutcomeKind.Cancelled };
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            return new RunOutcome { Kind = RunOutcomeKind.Stopped };
        }
        catch (Exception ex) when (ex is DatasetProblemException or DataPathException or InvalidOperationException or IOException
            or UnauthorizedAccessException or NotSupportedException)
        {
            LogFailed(logger, ex, jobId);
            Discard(output, jobId);
            return Failed(sink, ex.Message);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, jobId);
            Discard(output, jobId);
            return Failed(sink, $"{ex.GetType().Name}: {ex.Message} ({position.Current.Describe()})");
        }
    }

    public static string Describe(OptimizeSpec spec) => Shared.Datasets.OptimizePaths.Describe(spec);

    private static void Discard(string? output, long jobId)
    {
        if (output is not null)
        {
            OptimizeFiles.Discard(output, jobId);
        }
    }

    private static RunOutcome Failed(JobReporter reporter, string error)
    {
        reporter.Event("error", error);
        return new RunOutcome { Kind = RunOutcomeKind.Failed, Error = error };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Optimise job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, long jobId);
}
