using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Json;

namespace WebTrainer.Web.Helpers;

/// <summary>
/// One helper process (<c>WebTrainer.Worker helper</c>): asks it one request at a time and turns its
/// death, its silence past the timeout and its resident memory above the limit into a
/// <see cref="HelperFailedException"/> that names what it was doing. Its stderr goes to the Web's log.
/// </summary>
internal sealed partial class HelperProcess : IDisposable
{
    private static readonly TimeSpan MemoryPoll = TimeSpan.FromMilliseconds(200);

    private readonly Process _process;
    private readonly long _memoryLimitBytes;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private long _nextId;
    private volatile bool _overMemory;
    private volatile bool _killed;

    private HelperProcess(Process process, long memoryLimitBytes, ILogger logger)
    {
        _process = process;
        _memoryLimitBytes = memoryLimitBytes;
        _logger = logger;
    }

    public int Pid => _process.Id;

    public bool IsAlive => !_killed && !_process.HasExited;

    public static HelperProcess Start(HelperOptions options, ILogger logger)
    {
        var path = options.WorkerPath ?? throw new InvalidOperationException("Helpers:WorkerPath is not set");
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = DotnetHost();
            start.ArgumentList.Add(path);
        }
        else
        {
            start.FileName = path;
        }
        start.ArgumentList.Add(HelperProtocol.Command);
        long limit = (long)options.MemoryLimitMb * 1024 * 1024;
        // A managed allocation past three quarters of the limit throws OutOfMemoryException, which the helper answers;
        // native memory is bounded by the resident-memory poll.
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + (limit / 4 * 3).ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment[HelperProtocol.FaultVariable] = options.FaultInjection ? "1" : null;
        // A helper parses hostile files: it gets no database or account secrets of the Web.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Database__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var helper = new HelperProcess(process, limit, logger);
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                LogOutput(logger, process.Id, e.Data);
            }
        };
        process.BeginErrorReadLine();
        _ = Task.Run(helper.WatchMemoryAsync);
        LogStarted(logger, process.Id, options.MemoryLimitMb);
        return helper;
    }

    /// <summary>The answer to one request; any failure of the process itself is thrown, naming <paramref name="what"/>.</summary>
    public async Task<HelperAnswer> AskAsync(string op, object body, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var request = new HelperRequest(id, op, JsonSerializer.SerializeToElement(body, body.GetType(), ContractJson.Options));
        bool timedOut = false;
        // Killing the process is what ends a wait on its pipe, whatever the reason to stop waiting.
        using var timer = new CancellationTokenSource(timeout);
        using var onTimeout = timer.Token.Register(() =>
        {
            timedOut = true;
            Kill();
        });
        using var onCancel = cancellationToken.Register(Kill);
        try
        {
            await _process.StandardInput.WriteLineAsync(ContractJson.Serialize(request));
            await _process.StandardInput.FlushAsync(CancellationToken.None);
            while (await _process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                var at = line.IndexOf(HelperProtocol.Marker, StringComparison.Ordinal);
                if (at < 0)
                {
                    LogOutput(_logger, Pid, line);
                    continue;
                }
                var answer = ContractJson.Deserialize<HelperAnswer>(line[(at + HelperProtocol.Marker.Length)..]);
                if (answer.Id == id)
                {
                    return answer;
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke: the process is gone; why is decided below.
        }
        Kill();
        cancellationToken.ThrowIfCancellationRequested();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (OperationCanceledException)
        {
        }
        if (_overMemory)
        {
            throw OverMemory(what, _memoryLimitBytes);
        }
        if (timedOut)
        {
            LogTimedOut(_logger, Pid, what, timeout.TotalSeconds);
            throw new HelperFailedException(StatusCodes.Status504GatewayTimeout, "The helper process timed out",
                FormattableString.Invariant($"the helper process did not answer within {timeout.TotalSeconds:0.#} s while {what}; it was stopped"));
        }
        var how = Exit();
        LogDied(_logger, Pid, how, what);
        throw new HelperFailedException(StatusCodes.Status503ServiceUnavailable, "The helper process died",
            $"the helper process died ({how}) while {what}");
    }

    public static HelperFailedException OverMemory(string what, long limitBytes) =>
        new(StatusCodes.Status422UnprocessableEntity, "Over the memory limit",
            FormattableString.Invariant($"{what} needed more than {limitBytes / (1024 * 1024)} MB (Helpers:MemoryLimitMb); the helper process was stopped"));

    private string Exit()
    {
        if (!_process.HasExited)
        {
            return "still running";
        }
        // .NET reports a process ended by a signal as 128 + the signal's number.
        int code = _process.ExitCode;
        return code > 128 ? FormattableString.Invariant($"signal {code - 128}") : FormattableString.Invariant($"exit code {code}");
    }

    private async Task WatchMemoryAsync()
    {
        using var timer = new PeriodicTimer(MemoryPoll);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token) && !_process.HasExited)
            {
                if (ProcessMemory.ResidentBytes(_process.Id) is { } resident && resident > _memoryLimitBytes)
                {
                    _overMemory = true;
                    LogOverMemory(_logger, _process.Id, resident / (1024 * 1024), _memoryLimitBytes / (1024 * 1024));
                    Kill();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException)
        {
            // The process was disposed while it was watched.
        }
    }

    public void Kill()
    {
        _killed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        try
        {
            // The end of stdin tells a helper to exit; a busy or hung one is killed.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                Kill();
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
        }
        _process.Dispose();
        _disposed.Dispose();
    }

    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Helper process {Pid} started (memory limit {LimitMb} MB)")]
    private static partial void LogStarted(ILogger logger, int pid, int limitMb);

    [LoggerMessage(Level = LogLevel.Information, Message = "helper {Pid}: {Line}")]
    private static partial void LogOutput(ILogger logger, int pid, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Helper process {Pid} used {ResidentMb} MB, over its limit of {LimitMb} MB; killed")]
    private static partial void LogOverMemory(ILogger logger, int pid, long residentMb, long limitMb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Helper process {Pid} did not answer within {Seconds} s while {What}; killed")]
    private static partial void LogTimedOut(ILogger logger, int pid, string what, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Helper process {Pid} died ({How}) while {What}")]
    private static partial void LogDied(ILogger logger, int pid, string how, string what);
}
