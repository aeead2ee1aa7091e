using Npgsql;

namespace WebTrainer.Worker.Jobs;

/// <summary>
/// A PostgreSQL session advisory lock per job, held on a dedicated connection for the whole run.
/// Hangfire can hand the same job to a second Worker (invisibility timeout); the second one finds
/// the lock taken and leaves the run alone. A Worker that dies drops its connection, and so its lock.
/// </summary>
internal sealed class JobLock : IAsyncDisposable
{
    private const int LockClass = 0x5754_4A42; // "WTJB": keeps job locks apart from other advisory locks

    private readonly NpgsqlConnection _connection;

    private JobLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<JobLock?> TryAcquireAsync(NpgsqlDataSource dataSource, long jobId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@class, @job)", connection);
            command.Parameters.AddWithValue("class", LockClass);
            command.Parameters.AddWithValue("job", checked((int)jobId));
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new JobLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    // Closing the session releases the lock; a pooled connection is reset (DISCARD ALL) on return.
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
