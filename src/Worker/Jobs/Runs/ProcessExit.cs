using System.Globalization;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>A process's end in words. .NET reports a process killed by signal N as exit code 128 + N.</summary>
internal static class ProcessExit
{
    private static readonly Dictionary<int, (string Name, string Meaning)> Signals = new()
    {
        [1] = ("SIGHUP", "hang-up"),
        [2] = ("SIGINT", "interrupted"),
        [4] = ("SIGILL", "illegal instruction"),
        [6] = ("SIGABRT", "aborted"),
        [7] = ("SIGBUS", "bus error"),
        [8] = ("SIGFPE", "floating-point exception"),
        [9] = ("SIGKILL", "killed, by the kernel's out-of-memory killer or by hand"),
        [11] = ("SIGSEGV", "segmentation fault"),
        [13] = ("SIGPIPE", "broken pipe"),
        [15] = ("SIGTERM", "terminated"),
    };

    /// <summary>The signal's name when the code says the process died by one, else null.</summary>
    public static string? SignalName(int exitCode) =>
        exitCode is > 128 and < 160 ? Signals.TryGetValue(exitCode - 128, out var known) ? known.Name
            : string.Create(CultureInfo.InvariantCulture, $"signal {exitCode - 128}") : null;

    /// <summary>"SIGFPE (floating-point exception)", or "exit code 3".</summary>
    public static string Describe(int exitCode)
    {
        if (exitCode is > 128 and < 160)
        {
            return Signals.TryGetValue(exitCode - 128, out var known) ? $"{known.Name} ({known.Meaning})"
                : string.Create(CultureInfo.InvariantCulture, $"signal {exitCode - 128}");
        }
        return string.Create(CultureInfo.InvariantCulture, $"exit code {exitCode}");
    }
}
