namespace WebTrainer.Web.Auth;

/// <summary>Sign-in settings; the first admin comes from here at first start.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary><c>Auth__BootstrapAdmin__Email</c>, <c>__Password</c>, <c>__ApiKey</c>.</summary>
    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

public sealed class BootstrapAdminOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }

    /// <summary>An API key to register for the admin (e.g. for scripts and CI); at least 24 characters.</summary>
    public string? ApiKey { get; set; }
}
