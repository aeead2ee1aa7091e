using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using WebTrainer.Shared.Accounts;

namespace WebTrainer.Web.Auth;

/// <summary>Disabling, enabling and deleting accounts (admins), one's own password, the antiforgery token and logout.</summary>
internal static class UsersAdminApi
{
    public static IEndpointRouteBuilder MapUsersAdminApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users/{id:long}").WithTags("Accounts").RequireAuthorization(AuthSchemes.AdminPolicy);
        users.MapPost("/disable", (long id, ClaimsPrincipal user, UserStore store, CancellationToken ct) => SetDisabled(id, true, user, store, ct))
            .WithSummary("Disable an account: its sessions end and its API keys stop working (admins only)");
        users.MapPost("/enable", (long id, ClaimsPrincipal user, UserStore store, CancellationToken ct) => SetDisabled(id, false, user, store, ct))
            .WithSummary("Enable a disabled account (admins only)");
        users.MapDelete("/", DeleteUser)
            .WithSummary("Delete an account with its API keys; its jobs keep the owner's email and stay readable (admins only)");

        app.MapPost("/api/me/password", ChangePassword).WithTags("Accounts")
            .WithSummary("Change your password (the current one is required); every session of yours ends");
        app.MapGet("/api/auth/antiforgery", GetAntiforgeryToken).WithTags("Accounts")
            .WithSummary($"The antiforgery token cookie-signed-in scripts send in header {CookieRequestChecks.HeaderName}");
        app.MapPost("/auth/logout", (Delegate)SignOut).WithTags("Accounts").WithSummary("End the dashboard session");
        return app;
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> SetDisabled(
        long id, bool disabled, ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken)
    {
        if (id == user.Id())
        {
            return TypedResults.Problem("An admin cannot disable or enable their own account; ask another admin.",
                statusCode: StatusCodes.Status400BadRequest, title: "Not your own account");
        }
        return await users.SetDisabledAsync(id, disabled, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    internal static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteUser(
        long id, ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken)
    {
        if (id == user.Id())
        {
            return TypedResults.Problem("An admin cannot delete their own account; ask another admin.",
                statusCode: StatusCodes.Status400BadRequest, title: "Not your own account");
        }
        return await users.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    internal static async Task<Results<NoContent, ValidationProblem>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.NewPassword) || request.NewPassword.Length < AccountsApi.MinimumPasswordLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["newPassword"] = [$"the password needs at least {AccountsApi.MinimumPasswordLength} characters"],
            });
        }
        return await users.ChangePasswordAsync(user.Id(), request.CurrentPassword ?? "", request.NewPassword, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["the current password is wrong"] });
    }

    internal static Ok<AntiforgeryToken> GetAntiforgeryToken(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Ok(new AntiforgeryToken(CookieRequestChecks.HeaderName, antiforgery.GetAndStoreTokens(context).RequestToken!));

    internal static async Task<RedirectHttpResult> SignOut(HttpContext context, SessionValidator sessions)
    {
        if (context.User.Session() is { } session)
        {
            await sessions.EndAsync(session, context.RequestAborted);
        }
        await context.SignOutAsync(AuthSchemes.Cookie);
        return TypedResults.Redirect("/login");
    }
}
