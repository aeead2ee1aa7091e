namespace WebTrainer.Shared.Accounts;

/// <summary>A user's own password change; the current password proves it is them.</summary>
public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);
