using System.Security.Claims;
using Hangfire;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Web.Auth;

namespace WebTrainer.Web.Jobs;

/// <summary>
/// Cancel and delete, shared by the REST API and the dashboard so that both follow the same rules:
/// only the owner or an admin acts on a job; a queued job is cancelled at once and leaves Hangfire's
/// queue; an active job cannot be deleted.
/// </summary>
internal sealed class JobCommands(JobRepository jobs, IBackgroundJobClient hangfire)
{
    public async Task<(JobCommandOutcome Outcome, JobSummary? Summary)> CancelAsync(long id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var existing = await jobs.GetSummaryAsync(id, cancellationToken);
        if (existing is null)
        {
            return (JobCommandOutcome.NotFound, null);
        }
        if (!user.CanManageJobOf(existing.Owner))
        {
            return (JobCommandOutcome.NotYours, existing);
        }
        var (outcome, hangfireId) = await jobs.RequestCancelAsync(id, cancellationToken);
        if (outcome == CancelOutcome.CancelledWhileQueued && hangfireId is not null)
        {
            hangfire.Delete(hangfireId);
        }
        var summary = outcome == CancelOutcome.NotFound ? null : await jobs.GetSummaryAsync(id, cancellationToken);
        return (outcome switch
        {
            CancelOutcome.NotFound => JobCommandOutcome.NotFound,
            CancelOutcome.CancelledWhileQueued => JobCommandOutcome.CancelledWhileQueued,
            CancelOutcome.StopRequested => JobCommandOutcome.StopRequested,
            _ => JobCommandOutcome.AlreadyFinished,
        }, summary);
    }

    public async Task<(JobCommandOutcome Outcome, JobSummary? Summary)> DeleteAsync(long id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var summary = await jobs.GetSummaryAsync(id, cancellationToken);
        if (summary is null)
        {
            return (JobCommandOutcome.NotFound, null);
        }
        if (!user.CanManageJobOf(summary.Owner))
        {
            return (JobCommandOutcome.NotYours, summary);
        }
        if (summary.Status is JobStatus.Running or JobStatus.Queued || !await jobs.DeleteAsync(id, cancellationToken))
        {
            return (JobCommandOutcome.StillActive, summary);
        }
        return (JobCommandOutcome.Deleted, summary);
    }
}
