using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Reporting;

/// <summary>
/// The trainer's sink for one job: queues reports in memory and writes them in order on a
/// background task, retrying while the database is unreachable. Training never waits for it.
/// </summary>
internal sealed partial class JobReporter : IProgressSink, IAsyncDisposable
{
    private readonly long _jobId;
    private readonly MetricsRepository _metrics;
    private readonly ILogger _logger;
    private readonly Channel<Func<CancellationToken, Task>> _queue = Channel.CreateUnbounded<Func<CancellationToken, Task>>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task _writer;

    public JobReporter(long jobId, MetricsRepository metrics, ILogger logger)
    {
        _jobId = jobId;
        _metrics = metrics;
        _logger = logger;
        _writer = Task.Run(WriteAllAsync);
    }

    public void Batch(BatchProgress progress) => Enqueue(ct => _metrics.SaveBatchAsync(_jobId, progress, ct));

    public void Epoch(EpochMetrics metrics) => Enqueue(ct => _metrics.SaveEpochAsync(_jobId, metrics, ct));

    public void Event(string level, string message)
    {
        var at = DateTimeOffset.UtcNow;
        Enqueue(ct => _metrics.AddEventAsync(_jobId, at, level, message, ct));
    }

    /// <summary>Waits until everything reported so far is in the database.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(_ =>
        {
            done.TrySetResult();
            return Task.CompletedTask;
        });
        await done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _abandon.CancelAsync();
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _abandon.Dispose();
    }

    private void Enqueue(Func<CancellationToken, Task> write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            LogDroppedAfterClose(_logger, _jobId);
        }
    }

    private async Task WriteAllAsync()
    {
        await foreach (var write in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await DatabaseRetry.RunAsync(write, ex => LogWriteRetry(_logger, _jobId, ex.Message), _abandon.Token);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWriteFailed(_logger, ex, _jobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: database write failed ({Reason}); holding metrics and retrying")]
    private static partial void LogWriteRetry(ILogger logger, long jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: a metrics write failed and was skipped")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: a report arrived after the reporter closed")]
    private static partial void LogDroppedAfterClose(ILogger logger, long jobId);
}
