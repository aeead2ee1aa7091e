using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Web.Metrics;

/// <summary>
/// Live job updates, method <c>update</c> with a <see cref="Shared.Metrics.JobUpdate"/>. A client joins a
/// job's group for its batch progress, epoch metrics, status and events, or the all-jobs group for
/// status changes and epoch metrics of every job (what a jobs list shows; batches would be too many).
/// Groups are per connection: after (re)connecting, a client follows again, loads history over REST
/// and drops updates it already has (epoch, batch and event ids only grow), so nothing is missed
/// across Web restarts.
/// </summary>
[Authorize]
internal sealed class JobsHub(JobRepository jobs) : Hub
{
    public const string Path = "/hubs/jobs";
    public const string UpdateMethod = "update";
    public const string AllJobsGroup = "jobs";

    public static string GroupOf(long jobId) => $"job-{jobId}";

    /// <summary>Joins a job's group. The team reads each other's jobs, so any signed-in user may follow an existing job.</summary>
    public async Task Follow(long jobId)
    {
        if (await jobs.GetSummaryAsync(jobId, Context.ConnectionAborted) is null)
        {
            throw new HubException($"Job {jobId} does not exist.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(jobId), Context.ConnectionAborted);
    }

    public Task Unfollow(long jobId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(jobId), Context.ConnectionAborted);

    public Task FollowAll() => Groups.AddToGroupAsync(Context.ConnectionId, AllJobsGroup, Context.ConnectionAborted);

    public Task UnfollowAll() => Groups.RemoveFromGroupAsync(Context.ConnectionId, AllJobsGroup, Context.ConnectionAborted);
}
