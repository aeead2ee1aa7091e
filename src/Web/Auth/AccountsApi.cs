using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using WebTrainer.Shared.Accounts;
using WebTrainer.Web.Errors;

namespace WebTrainer.Web.Auth;

internal static class AccountsApi
{
    public const int MinimumPasswordLength = 8;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Accounts");
        me.MapGet("/", GetMe).WithSummary("Who the request is signed in as");
        me.MapGet("/api-keys", ListMyKeys).WithSummary("Your API keys (prefixes only)");
        me.MapPost("/api-keys", CreateMyKey).WithSummary("A new API key; the key is shown this once");
        me.MapDelete("/api-keys/{keyId:long}", RevokeMyKey).WithSummary("Revoke one of your API keys");

        var users = app.MapGroup("/api/users").WithTags("Accounts").RequireAuthorization(AuthSchemes.AdminPolicy);
        users.MapGet("/", ListUsers).WithSummary("Everyone who can sign in (admins only)");
        users.MapPost("/", CreateUser).WithSummary("Add a member or admin (admins only)");

        return app.MapUsersAdminApi();
    }

    internal static Ok<UserInfo> GetMe(ClaimsPrincipal user) =>
        TypedResults.Ok(new UserInfo(user.Id(), user.Email(), user.IsAdmin() ? Roles.Admin : Roles.Member, default, false));

    internal static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListMyKeys(ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListApiKeysAsync(user.Id(), cancellationToken));

    internal static async Task<Results<Created<ApiKeyCreated>, ValidationProblem>> CreateMyKey(
        CreateApiKeyRequest request, ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["a name of 1 to 100 characters is required"] });
        }
        var created = await users.AddApiKeyAsync(user.Id(), request.Name.Trim(), ApiKeys.New(), cancellationToken);
        return TypedResults.Created($"/api/me/api-keys/{created.Id}", created);
    }

    internal static async Task<Results<NoContent, NotFound>> RevokeMyKey(long keyId, ClaimsPrincipal user, UserStore users, CancellationToken cancellationToken) =>
        await users.RevokeApiKeyAsync(user.Id(), keyId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<Ok<IReadOnlyList<UserInfo>>> ListUsers(UserStore users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(cancellationToken));

    internal static async Task<Results<Created<UserInfo>, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> CreateUser(
        CreateUserRequest request, UserStore users, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@', StringComparison.Ordinal) || request.Email.Length > 254)
        {
            errors["email"] = ["an email address is required"];
        }
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length < MinimumPasswordLength)
        {
            errors["password"] = [$"the password needs at least {MinimumPasswordLength} characters"];
        }
        if (!Roles.All.Contains(request.Role))
        {
            errors["role"] = [$"role '{request.Role}' is unknown; choose one of: {string.Join(", ", Roles.All)}"];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        try
        {
            var created = await users.CreateAsync(request.Email, request.Password, request.Role, cancellationToken);
            return TypedResults.Created($"/api/users/{created.Id}", created);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Conflicts.Of("The user exists", $"A user with email '{request.Email}' already exists.");
        }
    }
}
