using WebTrainer.Shared.Metrics;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>How a run process says its run ended: the last line it writes before exiting.</summary>
internal sealed record RunOutcome
{
    public required RunOutcomeKind Kind { get; init; }

    /// <summary>For <see cref="RunOutcomeKind.Failed"/>: the sentence shown as the job's error.</summary>
    public string? Error { get; init; }

    public TestResults? Test { get; init; }
}
