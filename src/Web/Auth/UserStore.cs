using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

/// <summary>Users and API keys in PostgreSQL; passwords hashed by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>.</summary>
internal sealed class UserStore(NpgsqlDataSource dataSource, IPasswordHasher<string> hasher, IOptions<AuthOptions> options)
{
    private const string Columns = "id, email, password_hash, role, created_at, disabled, security_stamp, locked_until";

    // An unknown email is checked against this hash so that it costs what a known one does.
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword("", Guid.NewGuid().ToString()));

    static UserStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public async Task<UserInfo> CreateAsync(string email, string password, string role, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(
            """
            INSERT INTO users (email, password_hash, role) VALUES (@Email, @Hash, @Role)
            RETURNING id, email, password_hash, role, created_at, disabled, security_stamp, locked_until
            """,
            new { Email = email.Trim(), Hash = hasher.HashPassword(email, password), Role = role }, cancellationToken: cancellationToken));
        return row.ToInfo();
    }

    public async Task<bool> ExistsAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@Email))", new { Email = email.Trim() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Checks a password with the same hashing work whether or not the email exists, and counts failures:
    /// <see cref="LockoutOptions.MaxFailures"/> in a row lock the account for <see cref="LockoutOptions.Duration"/>.
    /// </summary>
    public async Task<SignInCheck> CheckPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE lower(email) = lower(@Email)",
            new { Email = email.Trim() }, cancellationToken: cancellationToken));
        var verified = hasher.VerifyHashedPassword(row?.Email ?? "", row?.PasswordHash ?? _dummyHash.Value, password)
            != PasswordVerificationResult.Failed;
        if (row is null || row.Disabled)
        {
            return SignInCheck.Refused;
        }
        if (row.LockedUntil is { } locked && Utc(locked) > DateTimeOffset.UtcNow)
        {
            return SignInCheck.LockedUntil(Utc(locked));
        }
        var lockout = options.Value.Lockout;
        var lockedUntil = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            """
            UPDATE users SET
                failed_logins = CASE WHEN @Verified OR failed_logins + 1 >= @Max THEN 0 ELSE failed_logins + 1 END,
                locked_until  = CASE WHEN NOT @Verified AND failed_logins + 1 >= @Max THEN now() + @Duration END
            WHERE id = @Id RETURNING locked_until
            """,
            new { row.Id, Verified = verified, Max = lockout.MaxFailures, lockout.Duration }, cancellationToken: cancellationToken));
        if (lockedUntil is { } until)
        {
            return SignInCheck.LockedUntil(Utc(until));
        }
        return verified ? new SignInCheck(row.ToInfo(), row.SecurityStamp, null) : SignInCheck.Refused;
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users ORDER BY id", cancellationToken: cancellationToken));
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
            RETURNING u.id, u.email, u.password_hash, u.role, u.created_at, u.disabled, u.security_stamp, u.locked_until
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

    /// <summary>Disables or enables an account; either way its sessions end (a new stamp) and a disabled one's API keys stop working.</summary>
    public async Task<bool> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET disabled = @Disabled, security_stamp = gen_random_uuid() WHERE id = @Id",
            new { Id = id, Disabled = disabled }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Removes the account with its API keys and sessions. Jobs keep the owner's email: the team still reads them and admins manage them.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Sets a new password when the current one matches; every session of the user ends.</summary>
    public async Task<bool> ChangePasswordAsync(long id, string current, string replacement, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        if (row is null || hasher.VerifyHashedPassword(row.Email, row.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @Hash, security_stamp = gen_random_uuid() WHERE id = @Id",
            new { Id = id, Hash = hasher.HashPassword(row.Email, replacement) }, cancellationToken: cancellationToken));
        return true;
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
        public Guid SecurityStamp { get; set; }
        public DateTime? LockedUntil { get; set; }

        public UserInfo ToInfo() => new(Id, Email, Role, Utc(CreatedAt), Disabled);
    }
}
