using WebTrainer.Shared.Json;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// What a Worker and its run process say to each other. The run process writes marked lines on
/// stdout (its logs go to stderr; any other output, such as native libraries' prints, is kept as
/// output); the Worker writes commands on the run process's stdin, whose end means the Worker is gone.
/// </summary>
internal static class RunProtocol
{
    public const string Command = "run";
    public const string Marker = "@webtrainer ";
    public const string ProgressVerb = "progress ";
    public const string EndVerb = "end ";
    public const string CancelCommand = "cancel";
    public const string StopCommand = "stop";

    /// <summary>The run process's exit code when its Worker went away: it stops at once, its job is someone else's now.</summary>
    public const int ParentGoneExitCode = 70;

    public static string Progress(RunPoint point) => Marker + ProgressVerb + point.Format();

    public static string End(RunOutcome outcome) => Marker + EndVerb + ContractJson.Serialize(outcome);

    /// <summary>A run process's stdout line: a heartbeat, its outcome, or neither (plain output).</summary>
    public static (RunPoint? Progress, RunOutcome? End) Parse(string line)
    {
        if (!line.StartsWith(Marker, StringComparison.Ordinal))
        {
            return (null, null);
        }
        var body = line.AsSpan(Marker.Length);
        if (body.StartsWith(ProgressVerb, StringComparison.Ordinal))
        {
            return (RunPoint.Parse(body[ProgressVerb.Length..].ToString()), null);
        }
        if (body.StartsWith(EndVerb, StringComparison.Ordinal))
        {
            return (null, ContractJson.Deserialize<RunOutcome>(body[EndVerb.Length..].ToString()));
        }
        return (null, null);
    }
}
