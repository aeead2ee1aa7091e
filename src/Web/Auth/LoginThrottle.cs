using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WebTrainer.Web.Auth;

/// <summary>
/// Fixed-window limits on sign-in attempts per client address and per email (System.Threading.RateLimiting,
/// as ASP.NET Core's rate limiter uses). The email is in the form body, which the middleware's synchronous
/// partitioner cannot read; the sign-in page asks here before it checks a password.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byEmail;

    public LoginThrottle(IOptions<AuthOptions> options)
    {
        var auth = options.Value;
        _byAddress = Create(auth.LoginAttemptsPerAddress, auth.LoginWindow);
        _byEmail = Create(auth.LoginAttemptsPerEmail, auth.LoginWindow);
    }

    /// <summary>Null when the attempt may go ahead; else how long to wait.</summary>
    public TimeSpan? TryAttempt(string? address, string email)
    {
        using var byAddress = _byAddress.AttemptAcquire(address ?? "unknown");
        if (!byAddress.IsAcquired)
        {
            return RetryAfter(byAddress);
        }
        using var byEmail = _byEmail.AttemptAcquire(email.Trim().ToLowerInvariant());
        return byEmail.IsAcquired ? null : RetryAfter(byEmail);
    }

    public void Dispose()
    {
        _byAddress.Dispose();
        _byEmail.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));
}
