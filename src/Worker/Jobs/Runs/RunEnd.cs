using System.Globalization;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>How one run process ended: with an outcome it reported, or by dying (a signal, an exit without an outcome, a stall).</summary>
internal sealed record RunEnd(RunOutcome? Outcome, int ExitCode, TimeSpan? StalledFor, RunPoint Point, IReadOnlyList<string> Tail)
{
    public bool Died => Outcome is null;

    /// <summary>"died with SIGSEGV (segmentation fault) at epoch 1, batch 3", "made no progress for 10 min at epoch 2, batch 7".</summary>
    public string DescribeDeath()
    {
        if (StalledFor is { } stall)
        {
            return $"made no progress for {Duration(stall)} {Point.Describe()} and was killed";
        }
        return ExitCode == 0
            ? $"ended without reporting an outcome {Point.Describe()}"
            : $"died with {ProcessExit.Describe(ExitCode)} {Point.Describe()}";
    }

    private static string Duration(TimeSpan span) => span.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min");
}
