using System.Diagnostics;
using WebTrainer.Worker.Jobs.Runs;

namespace WebTrainer.Bench;

/// <summary>
/// Runs a bench command again in a child process with the environment a Worker gives its run processes
/// (<see cref="RunEnvironment"/>: OpenMP's thread count and passive waiting, glibc's malloc tunables), which must be set
/// before the process starts. So the commands that train or load in their own process (<c>train</c>, <c>fit</c>,
/// <c>memory</c>, <c>augment</c>, <c>augment-ops</c>) measure what a run gets: without it the step bench gave the small
/// CNN 819 img/s against 2900 (spinning OpenMP threads, malloc's page faults). <c>--run-env off</c> measures the process as
/// started. A process started with <see cref="Marker"/> set (the re-run itself, <c>compare</c>'s sides, which set their own
/// environment and its variants) goes on as it is.
/// </summary>
internal static class InRunEnvironment
{
    public const string Marker = "WEBTRAINER_BENCH_IN_RUN_ENV";

    /// <summary><paramref name="run"/> here when this process is in the run environment or asked to stay as started, else in a child that is.</summary>
    public static async Task<int> RunAsync(string command, string[] args, Func<Task<int>> run, CancellationToken cancellationToken)
    {
        var options = new Training.BenchOptions(args);
        return await ReExecAsync(command, args, options.Int("threads", 2), options.Text("run-env", "on") != "off", cancellationToken)
            ?? await run();
    }

    /// <summary>
    /// The child's exit code after running <paramref name="command"/> <paramref name="args"/> in the run environment, or
    /// null when this process is that child already, or was asked to stay as it is: then go on here.
    /// </summary>
    private static async Task<int?> ReExecAsync(string command, string[] args, int threads, bool wanted, CancellationToken cancellationToken)
    {
        if (!wanted || Environment.GetEnvironmentVariable(Marker) == "1")
        {
            return null;
        }
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(InRunEnvironment).Assembly.Location);
        }
        info.ArgumentList.Add(command);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // As a Worker starts a run process: its own environment, with the run's settings where it sets none.
        RunEnvironment.Apply(info.Environment, threads);
        info.Environment[Marker] = "1";
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {self}");
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
        return child.ExitCode;
    }
}
