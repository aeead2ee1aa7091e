using Microsoft.Extensions.Options;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

/// <summary>Creates the first admin (and their API key) from configuration, once.</summary>
internal sealed partial class BootstrapAdmin(UserStore users, IOptions<AuthOptions> options, ILogger<BootstrapAdmin> logger)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrWhiteSpace(admin.Email))
        {
            if ((await users.ListAsync(cancellationToken)).Count == 0)
            {
                LogNoUsers(logger);
            }
            return;
        }
        if (!await users.ExistsAsync(admin.Email, cancellationToken))
        {
            if (string.IsNullOrEmpty(admin.Password))
            {
                throw new InvalidOperationException("Auth:BootstrapAdmin:Password is required to create the first admin (Auth__BootstrapAdmin__Password).");
            }
            await users.CreateAsync(admin.Email, admin.Password, Roles.Admin, cancellationToken);
            LogCreated(logger, admin.Email);
        }
        if (!string.IsNullOrEmpty(admin.ApiKey) && !await users.ApiKeyExistsAsync(admin.ApiKey, cancellationToken))
        {
            if (admin.ApiKey.Length < ApiKeys.MinimumLength)
            {
                throw new InvalidOperationException($"Auth:BootstrapAdmin:ApiKey must be at least {ApiKeys.MinimumLength} characters.");
            }
            var user = (await users.ListAsync(cancellationToken)).First(u => string.Equals(u.Email, admin.Email.Trim(), StringComparison.OrdinalIgnoreCase));
            await users.AddApiKeyAsync(user.Id, "bootstrap", admin.ApiKey, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap admin {Email}")]
    private static partial void LogCreated(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No users exist and no bootstrap admin is configured: set Auth__BootstrapAdmin__Email and Auth__BootstrapAdmin__Password")]
    private static partial void LogNoUsers(ILogger logger);
}
