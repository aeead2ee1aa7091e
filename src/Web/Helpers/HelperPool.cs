using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Helpers;

namespace WebTrainer.Web.Helpers;

/// <summary>
/// A few helper processes, started when first needed and replaced when one dies, is killed or
/// fails: each serves one request at a time; further requests wait (with their caller's
/// cancellation) for a free one, and beyond <see cref="HelperOptions.MaxQueue"/> waiting are refused.
/// </summary>
internal sealed partial class HelperPool(IOptions<HelperOptions> options, ILogger<HelperPool> logger) : IDisposable
{
    private readonly SemaphoreSlim _free = new(options.Value.Count, options.Value.Count);
    private readonly ConcurrentBag<HelperProcess> _idle = [];
    private int _waiting;

    /// <summary>The answer body of <paramref name="op"/>; a refusal or any failure is thrown, naming <paramref name="what"/>.</summary>
    public async Task<JsonElement> RunAsync(string op, object body, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (Interlocked.Increment(ref _waiting) > settings.Count + settings.MaxQueue)
        {
            Interlocked.Decrement(ref _waiting);
            throw new HelperFailedException(StatusCodes.Status503ServiceUnavailable, "The helper processes are busy",
                $"all {settings.Count} helper processes are busy and {settings.MaxQueue} requests wait for them; try again shortly");
        }
        try
        {
            await _free.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        HelperProcess? helper = null;
        bool retire = false;
        try
        {
            helper = TakeIdle() ?? Start(what);
            var answer = await helper.AskAsync(op, body, what, timeout, cancellationToken);
            switch (answer.Status)
            {
                case HelperAnswer.Ok when answer.Body is { } result:
                    return result;
                case HelperAnswer.Rejected:
                    throw new HelperRejectedException(false, answer.Message ?? "the helper refused the request");
                case HelperAnswer.OutOfRange:
                    throw new HelperRejectedException(true, answer.Message ?? "out of range");
                case HelperAnswer.OutOfMemory:
                    // Its heap is full of what the request allocated: a fresh process serves the next one.
                    retire = true;
                    throw HelperProcess.OverMemory(what, (long)settings.MemoryLimitMb * 1024 * 1024);
                default:
                    retire = true;
                    throw new HelperFailedException(StatusCodes.Status422UnprocessableEntity, "The helper could not read the file",
                        $"{what} failed: {answer.Message}");
            }
        }
        finally
        {
            if (helper is not null)
            {
                if (retire || !helper.IsAlive)
                {
                    helper.Dispose();
                }
                else
                {
                    _idle.Add(helper);
                }
            }
            _free.Release();
        }
    }

    private HelperProcess? TakeIdle()
    {
        while (_idle.TryTake(out var helper))
        {
            if (helper.IsAlive)
            {
                return helper;
            }
            helper.Dispose();
        }
        return null;
    }

    private HelperProcess Start(string what)
    {
        try
        {
            return HelperProcess.Start(options.Value, logger);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            LogStartFailed(logger, ex, options.Value.WorkerPath);
            throw new HelperFailedException(StatusCodes.Status503ServiceUnavailable, "No helper process",
                $"the helper process ({options.Value.WorkerPath}) could not be started for {what}: {ex.Message}");
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var helper))
        {
            helper.Dispose();
        }
        _free.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not start a helper process from {WorkerPath}")]
    private static partial void LogStartFailed(ILogger logger, Exception ex, string? workerPath);
}
