using Dapper;
using Npgsql;

namespace WebTrainer.Web.Auth;

/// <summary>Dashboard sign-ins: one row per cookie, so that logging out ends that cookie even if it is replayed.</summary>
internal sealed class SessionStore(NpgsqlDataSource dataSource)
{
    public async Task<Guid> CreateAsync(long userId, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO user_sessions (id, user_id) VALUES (@Id, @UserId)", new { Id = id, UserId = userId }, cancellationToken: cancellationToken));
        return id;
    }

    public async Task RevokeAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_sessions SET revoked_at = now() WHERE id = @Id AND revoked_at IS NULL", new { Id = sessionId },
            cancellationToken: cancellationToken));
    }

    /// <summary>True while the session is open, its user enabled and the user's stamp the one signed in with.</summary>
    public async Task<bool> IsValidAsync(Guid sessionId, long userId, Guid stamp, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM user_sessions s JOIN users u ON u.id = s.user_id
                           WHERE s.id = @Id AND s.user_id = @UserId AND s.revoked_at IS NULL
                             AND u.security_stamp = @Stamp AND NOT u.disabled)
            """,
            new { Id = sessionId, UserId = userId, Stamp = stamp }, cancellationToken: cancellationToken));
    }
}
