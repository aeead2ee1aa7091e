using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WebTrainer.Web.Jobs;

/// <summary>
/// Keeps one member from filling the team's queue: queued plus running jobs stay within
/// <see cref="JobQuotaOptions.MaxQueuedPerUser"/>. Two submissions at the same instant may both pass the
/// count; the limit is a guard against runaway scripts, not an exact reservation.
/// </summary>
internal sealed class JobQuota(NpgsqlDataSource dataSource, IOptions<JobQuotaOptions> options)
{
    /// <summary>Null when <paramref name="adding"/> more jobs fit; else the problem, naming the count and the limit.</summary>
    public async Task<string?> ExceededAsync(string owner, int adding, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxQueuedPerUser;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@Owner) AND role = 'admin') THEN NULL
                   ELSE (SELECT count(*)::int FROM jobs WHERE lower(owner) = lower(@Owner) AND status IN ('Queued', 'Running')) END
            """,
            new { Owner = owner }, cancellationToken: cancellationToken));
        if (count is not { } queued || queued + adding <= limit)
        {
            return null;
        }
        return $"{owner} has {queued} queued or running jobs and the limit is {limit} per member (Jobs:MaxQueuedPerUser); " +
            $"this submission would add {adding}. Wait for some to finish or cancel some.";
    }
}
