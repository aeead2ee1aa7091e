namespace WebTrainer.Shared.Accounts;

/// <summary>A new API key. <see cref="Key"/> is shown this once and never stored.</summary>
public sealed record ApiKeyCreated(long Id, string Name, string Key);
