using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// The Worker's handle on one run process (this program in <c>run</c> mode): its heartbeat, its
/// outcome, the last lines it printed, and the commands it is sent. Its output is relayed to the
/// Worker's log.
/// </summary>
internal sealed partial class RunProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly long _jobId;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly Lock _gate = new();
    private RunPoint _point = RunPoint.None;
    private long _lastProgress = Stopwatch.GetTimestamp();
    private RunOutcome? _outcome;

    private RunProcess(Process process, long jobId, ILogger logger)
    {
        _process = process;
        _jobId = jobId;
        _logger = logger;
    }

    public int Id => _process.Id;

    public RunPoint Point
    {
        get
        {
            lock (_gate)
            {
                return _point;
            }
        }
    }

    /// <summary>Time since the run process last reported a new batch (or since it started).</summary>
    public TimeSpan SinceProgress => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastProgress));

    public RunOutcome? Outcome
    {
        get
        {
            lock (_gate)
            {
                return _outcome;
            }
        }
    }

    public IReadOnlyList<string> Tail => [.. _tail];

    public static RunProcess Start(long jobId, int attempt, int threads, ILogger logger)
    {
        var (file, prefix) = Executable();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in prefix)
        {
            info.ArgumentList.Add(argument);
        }
        info.ArgumentList.Add(RunProtocol.Command);
        info.ArgumentList.Add(jobId.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(attempt.ToString(CultureInfo.InvariantCulture));
        RunEnvironment.Apply(info.Environment, threads);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new RunProcess(process, jobId, logger);
        process.OutputDataReceived += (_, e) => run.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => run.OnOutput(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LogStarted(logger, jobId, attempt, process.Id);
        return run;
    }

    /// <summary>Waits for the process to end and its output to be read; returns its exit code (128 + N: killed by signal N).</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None);
        return _process.ExitCode;
    }

    /// <summary>Writes a command line to the run process; one that has already gone is not an error.</summary>
    public void Send(string command)
    {
        try
        {
            lock (_gate)
            {
                _process.StandardInput.WriteLine(command);
                _process.StandardInput.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            LogSendFailed(_logger, _jobId, command, ex.Message);
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            return;
        }
        var (progress, end) = RunProtocol.Parse(line);
        if (progress is { } point)
        {
            lock (_gate)
            {
                _point = point;
            }
            Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());
        }
        else if (end is not null)
        {
            lock (_gate)
            {
                _outcome = end;
            }
        }
        else
        {
            OnOutput(line);
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        _tail.Enqueue(line);
        while (_tail.Count > TailLines && _tail.TryDequeue(out _))
        {
        }
        LogOutput(_logger, _jobId, line);
    }

    /// <summary>The program that is running now, so the run process is the same build: the apphost, or dotnet with this dll.</summary>
    private static (string File, string[] Prefix) Executable()
    {
        var dll = typeof(RunProcess).Assembly.Location;
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return (current, [dll]);
        }
        var apphost = Path.ChangeExtension(dll, null);
        return File.Exists(apphost) ? (apphost, []) : ("dotnet", [dll]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: run process {Pid} started (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, long jobId, int attempt, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "run {JobId} | {Line}")]
    private static partial void LogOutput(ILogger logger, long jobId, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId}: could not send '{Command}' to the run process ({Reason})")]
    private static partial void LogSendFailed(ILogger logger, long jobId, string command, string reason);
}
