namespace WebTrainer.Shared.Accounts;

/// <summary>A person who can sign in.</summary>
public sealed record UserInfo(long Id, string Email, string Role, DateTimeOffset CreatedAt, bool Disabled);
