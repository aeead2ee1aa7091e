using System.Security.Claims;
using WebTrainer.Shared.Storage;
using WebTrainer.Shared.Sweeps;
using WebTrainer.Web.Auth;
using WebTrainer.Web.Jobs;

namespace WebTrainer.Web.Sweeps;

/// <summary>
/// Reading and cancelling sweeps with the jobs' ownership rules, for the REST API and the dashboard
/// alike: a member sees and cancels their own sweeps, an admin all; a sweep someone else owns is,
/// to a member, not there.
/// </summary>
internal sealed class SweepCommands(SweepRepository sweeps, JobCommands jobs)
{
    public async Task<IReadOnlyList<SweepSummary>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await sweeps.ListAsync(user.IsAdmin() ? null : user.Email(), cancellationToken);

    public async Task<SweepDetail?> GetAsync(long id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await sweeps.GetAsync(id, cancellationToken) is { } sweep && user.CanManageJobOf(sweep.Summary.Owner) ? sweep : null;

    /// <summary>Cancels the sweep's queued jobs and asks its running ones to stop, through the jobs' own cancel; null when not found.</summary>
    public async Task<SweepCancelled?> CancelAsync(long id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, user, cancellationToken) is null)
        {
            return null;
        }
        var (queued, running) = (0, 0);
        foreach (var jobId in await sweeps.ActiveJobIdsAsync(id, cancellationToken))
        {
            var (outcome, _) = await jobs.CancelAsync(jobId, user, cancellationToken);
            queued += outcome == JobCommandOutcome.CancelledWhileQueued ? 1 : 0;
            running += outcome == JobCommandOutcome.StopRequested ? 1 : 0;
        }
        return new SweepCancelled(id, queued, running);
    }
}
