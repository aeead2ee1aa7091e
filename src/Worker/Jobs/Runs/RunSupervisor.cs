using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// Runs one attempt of a job in a run process and watches it: relays cancel and shutdown, kills it
/// when it stalls (or ignores a shutdown), and reports how it ended. Whatever the run process does,
/// the Worker goes on.
/// </summary>
internal sealed partial class RunSupervisor(IOptions<WorkerOptions> worker, IOptions<JobQueueOptions> queue, ILogger<RunSupervisor> logger)
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a run process may take to checkpoint and leave after a shutdown request.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public async Task<RunEnd> RunAsync(long jobId, int attempt, CancellationToken cancel, CancellationToken stop)
    {
        await using var run = RunProcess.Start(jobId, attempt, worker.Value.Threads, logger);
        using var onCancel = cancel.Register(() => run.Send(RunProtocol.CancelCommand));
        long stopAsked = 0;
        using var onStop = stop.Register(() =>
        {
            Interlocked.Exchange(ref stopAsked, Stopwatch.GetTimestamp());
            run.Send(RunProtocol.StopCommand);
        });
        var exit = run.WaitForExitAsync();
        TimeSpan? stalled = null;
        var stallTimeout = queue.Value.StallTimeout;
        while (!exit.IsCompleted)
        {
            await Task.WhenAny(exit, Task.Delay(CheckInterval, CancellationToken.None));
            if (exit.IsCompleted)
            {
                break;
            }
            if (stalled is null && run.SinceProgress > stallTimeout)
            {
                stalled = run.SinceProgress;
                LogStalled(logger, jobId, run.Id, stalled.Value);
                run.Kill();
            }
            else if (Interlocked.Read(ref stopAsked) is var asked and not 0 && Stopwatch.GetElapsedTime(asked) > StopGrace)
            {
                LogStopIgnored(logger, jobId, run.Id);
                run.Kill();
            }
        }
        int code = await exit;
        var outcome = run.Outcome;
        var end = new RunEnd(code == 0 && stalled is null ? outcome : null, code, stalled, run.Point, run.Tail);
        if (end.Died)
        {
            LogDied(logger, jobId, run.Id, end.DescribeDeath());
        }
        return end;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: run process {Pid} made no progress for {Stalled}; killing it")]
    private static partial void LogStalled(ILogger logger, long jobId, int pid, TimeSpan stalled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: run process {Pid} did not stop after the shutdown request; killing it")]
    private static partial void LogStopIgnored(ILogger logger, long jobId, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: run process {Pid} {Death}")]
    private static partial void LogDied(ILogger logger, long jobId, int pid, string death);
}
