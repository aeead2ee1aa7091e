namespace WebTrainer.Shared.Accounts;

/// <summary>A person asks for an API key for scripts: <c>POST /api/me/api-keys</c>.</summary>
public sealed record CreateApiKeyRequest(string Name);
