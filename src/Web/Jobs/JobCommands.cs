using Hangfire;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Storage;

namespace WebTrainer.Web.Jobs;

/// <summary>
/// Cancel and delete, shared by the REST API and the dashboard so that both follow the same rules
/// (a queued job is cancelled at once and leaves Hangfire's queue; an active job cannot be deleted).
/// </summary>
internal sealed class JobCommands(JobRepository jobs, IBackgroundJobClient hangfire)
{
    public async Task<(CancelOutcome Outcome, JobSummary? Summary)> CancelAsync(long id, CancellationToken cancellationToken)
    {
        var (outcome, hangfireId) = await jobs.RequestCancelAsync(id, cancellationToken);
        if (outcome == CancelOutcome.CancelledWhileQueued && hangfireId is not null)
        {
            hangfire.Delete(hangfireId);
        }
        var summary = outcome == CancelOutcome.NotFound ? null : await jobs.GetSummaryAsync(id, cancellationToken);
        return (outcome, summary);
    }

    public async Task<(DeleteOutcome Outcome, JobSummary? Summary)> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var summary = await jobs.GetSummaryAsync(id, cancellationToken);
        if (summary is null)
        {
            return (DeleteOutcome.NotFound, null);
        }
        if (summary.Status is JobStatus.Running or JobStatus.Queued || !await jobs.DeleteAsync(id, cancellationToken))
        {
            return (DeleteOutcome.StillActive, summary);
        }
        return (DeleteOutcome.Deleted, summary);
    }
}
