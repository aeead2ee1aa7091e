using System.Diagnostics;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Faults;

/// <summary>A run process whose Worker is gone (its stdin pipe closed) stops at once: the job is another Worker's now.</summary>
public sealed class RunProcessOrphanTests
{
    [Fact]
    public async Task RunProcess_ExitsWithItsParentGoneCode_WhenItsCommandPipeCloses()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RepoPaths.WorkerDll, "run", "1", "1" })
        {
            info.ArgumentList.Add(argument);
        }
        // Nothing listens there: the run process waits for its database, as it would during an outage.
        info.Environment["Database__ConnectionString"] = $"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Password=x;Timeout=2";
        using var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(process.HasExited, "the run process should still be waiting for its database");

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(70, process.ExitCode);
    }
}
