using System.Security.Claims;
using WebTrainer.Web.Auth;

namespace WebTrainer.Web.Datasets;

/// <summary>Who uploads or deletes a dataset file: the owner recorded for it, and whether the owner checks and quota apply.</summary>
internal sealed record UploadingUser(long Id, string Email, bool IsAdmin)
{
    public static UploadingUser Of(ClaimsPrincipal user) => new(user.Id(), user.Email(), user.IsAdmin());
}
