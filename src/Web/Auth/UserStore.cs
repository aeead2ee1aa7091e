using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

/// <summary>Users and API keys in PostgreSQL; passwords hashed by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>.</summary>
internal sealed class UserStore(NpgsqlDataSource dataSource)
{
    private static readonly PasswordHasher<string> Hasher = new();

    static UserStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public async Task<UserInfo> CreateAsync(string email, string password, string role, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(
            """
            INSERT INTO users (email, password_hash, role) VALUES (@Email, @Hash, @Role)
            RETURNING id, email, password_hash, role, created_at, disabled
            """,
            new { Email = email.Trim(), Hash = Hasher.HashPassword(email, password), Role = role }, cancellationToken: cancellationToken));
        return row.ToInfo();
    }

    public async Task<bool> ExistsAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@Email))", new { Email = email.Trim() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The user when the password matches and the account is enabled; else null.</summary>
    public async Task<UserInfo?> CheckPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT id, email, password_hash, role, created_at, disabled FROM users WHERE lower(email) = lower(@Email)",
            new { Email = email.Trim() }, cancellationToken: cancellationToken));
        if (row is null || row.Disabled)
        {
            return null;
        }
        return Hasher.VerifyHashedPassword(row.Email, row.PasswordHash, password) == PasswordVerificationResult.Failed ? null : row.ToInfo();
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            "SELECT id, email, password_hash, role, created_at, disabled FROM users ORDER BY id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    public async Task<ApiKeyCreated> AddApiKeyAsync(long userId, string name, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO api_keys (user_id, name, prefix, key_hash) VALUES (@UserId, @Name, @Prefix, @Hash) RETURNING id",
            new { UserId = userId, Name = name, Prefix = ApiKeys.Prefix(key), Hash = ApiKeys.Hash(key) }, cancellationToken: cancellationToken));
        return new ApiKeyCreated(id, name, key);
    }

    public async Task<bool> ApiKeyExistsAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = @Hash)", new { Hash = ApiKeys.Hash(key) }, cancellationToken: cancellationToken));
    }

    /// <summary>The owner of a valid, unrevoked key of an enabled account; marks the key used.</summary>
    public async Task<UserInfo?> FindByApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            """
            UPDATE api_keys k SET last_used_at = now()
            FROM users u
            WHERE k.key_hash = @Hash AND k.revoked_at IS NULL AND u.id = k.user_id AND NOT u.disabled
            RETURNING u.id, u.email, u.password_hash, u.role, u.created_at, u.disabled
            """,
            new { Hash = ApiKeys.Hash(key) }, cancellationToken: cancellationToken));
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt)>(
            new CommandDefinition(
                "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE user_id = @UserId ORDER BY id",
                new { UserId = userId }, cancellationToken: cancellationToken));
        return rows.Select(r => new ApiKeyInfo(r.Id, r.Name, r.Prefix, Utc(r.CreatedAt), Utc(r.LastUsedAt), Utc(r.RevokedAt))).ToList();
    }

    public async Task<bool> RevokeApiKeyAsync(long userId, long keyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = now() WHERE id = @KeyId AND user_id = @UserId AND revoked_at IS NULL",
            new { KeyId = keyId, UserId = userId }, cancellationToken: cancellationToken)) == 1;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is null ? null : Utc(value.Value);

    private sealed class UserRow
    {
        public long Id { get; set; }
        public string Email { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public string Role { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public bool Disabled { get; set; }

        public UserInfo ToInfo() => new(Id, Email, Role, Utc(CreatedAt), Disabled);
    }
}
