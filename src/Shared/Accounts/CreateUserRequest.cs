namespace WebTrainer.Shared.Accounts;

/// <summary>An admin adds a person: <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(string Email, string Password, string Role = Roles.Member);
