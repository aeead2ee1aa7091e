using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

/// <summary>What a password check came to: the user and their security stamp, a lockout, or a refusal that says nothing more.</summary>
internal sealed record SignInCheck(UserInfo? User, Guid SecurityStamp, DateTimeOffset? Locked)
{
    public static SignInCheck Refused { get; } = new(null, Guid.Empty, null);

    public static SignInCheck LockedUntil(DateTimeOffset until) => new(null, Guid.Empty, until);
}
