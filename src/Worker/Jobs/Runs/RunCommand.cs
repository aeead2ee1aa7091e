using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// <c>run JOB_ID ATTEMPT</c>: the run process. libtorch lives here, so a native crash, the
/// out-of-memory killer or a hang ends this process and not the Worker that supervises it. Logs go
/// to stderr; stdout carries the heartbeat and the outcome (<see cref="RunProtocol"/>); stdin the
/// Worker's commands, and its end means the Worker is gone, so the run stops at once.
/// </summary>
internal static partial class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !long.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var jobId)
            || !int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempt))
        {
            await Console.Error.WriteLineAsync("usage: run JOB_ID ATTEMPT");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddWebTrainerDatabase();
        builder.Services.AddDataRoots();
        builder.Services.AddWorkerOptions();
        builder.Services.AddSingleton<TrainingRun>();
        builder.Services.AddSingleton<Optimizing.OptimizeRun>();
        using var host = builder.Build();

        var worker = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RunCommand));
        LogStarting(logger, jobId, attempt, Environment.ProcessId, worker.Threads);
        TorchRuntime.Configure(worker.Threads);
        OneDnnWorkaround.Current.Log(logger);
        var position = new RunPosition();
        // The heartbeat: every batch handed to the model, before it is used, so a crash's position is exact
        // and a hung run falls silent.
        position.Moved += point => WriteLine(RunProtocol.Progress(point));
        FaultInjection.FromEnvironment(attempt)?.Attach(position);

        using var cancel = new CancellationTokenSource();
        using var stop = new CancellationTokenSource();
        var commands = new Thread(() => ReadCommands(cancel, stop)) { IsBackground = true, Name = "run commands" };
        commands.Start();

        var outcome = await host.Services.GetRequiredService<TrainingRun>().RunAsync(jobId, position, cancel.Token, stop.Token);
        WriteLine(RunProtocol.End(outcome));
        return 0;
    }

    private static void ReadCommands(CancellationTokenSource cancel, CancellationTokenSource stop)
    {
        while (Console.In.ReadLine() is { } line)
        {
            if (line == RunProtocol.CancelCommand)
            {
                cancel.Cancel();
            }
            else if (line == RunProtocol.StopCommand)
            {
                stop.Cancel();
            }
        }
        // The Worker is gone (killed, or its machine): another Worker will resume the job from its checkpoint, so write nothing more.
        Environment.Exit(RunProtocol.ParentGoneExitCode);
    }

    private static readonly Lock Output = new();

    private static void WriteLine(string line)
    {
        lock (Output)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run process for job {JobId}, attempt {Attempt}: pid {Pid}, {Threads} threads")]
    private static partial void LogStarting(ILogger logger, long jobId, int attempt, int pid, int threads);
}
