namespace WebTrainer.Shared.Accounts;

public static class Roles
{
    public const string Admin = "admin";
    public const string Member = "member";

    public static readonly IReadOnlyList<string> All = [Admin, Member];
}
