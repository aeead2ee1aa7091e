namespace WebTrainer.Shared.Accounts;

/// <summary>An API key as listed: its first characters only.</summary>
public sealed record ApiKeyInfo(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
