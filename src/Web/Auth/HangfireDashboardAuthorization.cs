using Hangfire.Dashboard;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

/// <summary>Hangfire's dashboard can delete and requeue jobs: admins only.</summary>
internal sealed class HangfireDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}
