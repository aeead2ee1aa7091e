using System.Net;
using System.Net.Http.Json;
using WebTrainer.Shared.Accounts;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>A real Web and database with short session checks and small limits, so revocation and quotas show quickly.</summary>
internal static class AccessSystem
{
    public const string MemberPassword = "member-password-1";
    public const int MaxQueued = 2;
    public const int MaxFailures = 3;
    public const int AttemptsPerEmail = 5;

    public static async Task<WebTrainerSystem> StartAsync(PostgresServer server)
    {
        var folder = Path.Combine(Path.GetTempPath(), "webtrainer-keys-" + Guid.NewGuid().ToString("N"));
        var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["Auth__SessionCheckInterval"] = "00:00:01",
            ["Auth__Lockout__MaxFailures"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Auth__LoginAttemptsPerEmail"] = AttemptsPerEmail.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jobs__MaxQueuedPerUser"] = MaxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DataProtection__KeysPath"] = folder,
        });
        await system.StartWebAsync();
        return system;
    }

    /// <summary>A new member (made by the admin) and their id.</summary>
    public static async Task<long> AddMemberAsync(this WebTrainerSystem system, string email)
    {
        using var created = await system.Http.PostAsJsonAsync("/api/users",
            new CreateUserRequest(email, MemberPassword, Roles.Member), ContractJson.Options);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ContractJson.Deserialize<UserInfo>(await created.Content.ReadAsStringAsync()).Id;
    }

    /// <summary>Polls until <paramref name="path"/> answers <paramref name="status"/>: revocation is promised within the check interval, not at once.</summary>
    public static async Task<HttpStatusCode> EventuallyAsync(HttpClient client, string path, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == status || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }
            await Task.Delay(250);
        }
    }
}
