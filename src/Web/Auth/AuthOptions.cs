namespace WebTrainer.Web.Auth;

/// <summary>Sign-in settings; the first admin comes from here at first start.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary><c>Auth__BootstrapAdmin__Email</c>, <c>__Password</c>, <c>__ApiKey</c>.</summary>
    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a cookie's session is trusted before the database is asked again (disabled user, new password).</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Origins besides the server's own whose pages may open the jobs hub with a cookie (e.g. behind a proxy).</summary>
    public IList<string> AllowedOrigins { get; set; } = [];

    public LockoutOptions Lockout { get; set; } = new();

    /// <summary>Sign-in attempts per client address and per email within <see cref="LoginWindow"/>.</summary>
    public int LoginAttemptsPerAddress { get; set; } = 30;

    public int LoginAttemptsPerEmail { get; set; } = 10;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class BootstrapAdminOptions
{
    public string? Email { get; set; }
    public string? Password { get; set; }

    /// <summary>An API key to register for the admin (e.g. for scripts and CI); at least 24 characters.</summary>
    public string? ApiKey { get; set; }
}

public sealed class LockoutOptions
{
    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public int MaxFailures { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);
}
