namespace WebTrainer.Shared.Accounts;

/// <summary>For scripts that use the dashboard's cookie: send <see cref="Token"/> in header <see cref="HeaderName"/>.</summary>
public sealed record AntiforgeryToken(string HeaderName, string Token);
