namespace WebTrainer.Web.Auth;

internal static class AuthSchemes
{
    /// <summary>Picks <see cref="ApiKey"/> when the request carries a key, else <see cref="Cookie"/>.</summary>
    public const string Default = "WebTrainer";
    public const string Cookie = "Cookies";
    public const string ApiKey = "ApiKey";

    public const string AdminPolicy = "Admin";

    public const string ApiKeyHeader = "X-Api-Key";
}
