using System.Diagnostics;
using WebTrainer.Worker.Jobs.Runs;

namespace WebTrainer.Bench;

/// <summary>
/// Runs a bench command again in a child process with the environment a Worker gives its run processes
/// (<see cref="RunEnvironment"/>: OpenMP's thread count and passive waiting, glibc's malloc tunables), which must be set
/// before the process starts. So a command that measures the pipeline in its own process measures it as a run has it;
/// <c>--run-env off</c> measures the process as started.
/// </summary>
internal static class InRunEnvironment
{
    private const string Marker = "WEBTRAINER_BENCH_IN_RUN_ENV";

    /// <summary>
    /// The child's exit code after running <paramref name="command"/> <paramref name="args"/> in the run environment, or
    /// null when this process is that child already, or was asked to stay as it is: then go on here.
    /// </summary>
    public static async Task<int?> ReExecAsync(string command, string[] args, int threads, bool wanted, CancellationToken cancellationToken)
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
