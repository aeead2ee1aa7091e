using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs;

/// <summary>The sentences of cancel and delete outcomes, shown by the dashboard and sent as the API's ProblemDetails detail.</summary>
internal static class JobCommandMessages
{
    public static string Cancel(JobCommandOutcome outcome, long id, JobSummary? summary) => outcome switch
    {
        JobCommandOutcome.CancelledWhileQueued => $"Job {id} was cancelled before it started.",
        JobCommandOutcome.StopRequested => $"Job {id} stops at its next batch.",
        JobCommandOutcome.NotFound => $"Job {id} no longer exists.",
        JobCommandOutcome.NotYours => NotYours(id, summary!.Owner, "cancel"),
        _ => $"Job {id} is {summary?.Status}; only queued or running jobs can be cancelled.",
    };

    public static string Delete(JobCommandOutcome outcome, long id, JobSummary? summary) => outcome switch
    {
        JobCommandOutcome.StillActive => $"Job {id} is {summary?.Status}; cancel it before deleting it.",
        JobCommandOutcome.NotYours => NotYours(id, summary!.Owner, "delete"),
        JobCommandOutcome.NotFound => $"Job {id} no longer exists.",
        _ => $"Job {id} was deleted.",
    };

    public static string NotYours(long id, string owner, string action) => $"Job {id} belongs to {owner}; only its owner or an admin can {action} it.";
}
