using System.Net;
using System.Net.Http.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>Another site's page can make a signed-in browser send requests; without the antiforgery token they change nothing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CsrfTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync() => _system = await AccessSystem.StartAsync(server);

    [Fact]
    public async Task CookieRequests_WithoutToken_Are400_AndChangeNothing()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, WebTrainerSystem.AdminEmail, WebTrainerSystem.AdminPassword);
        var requests = new (HttpMethod Method, string Path, HttpContent? Body)[]
        {
            (HttpMethod.Post, $"/api/jobs/{id}/cancel", null),
            (HttpMethod.Post, $"/api/jobs/{id}/clone", null),
            (HttpMethod.Delete, $"/api/jobs/{id}", null),
            (HttpMethod.Put, $"/api/jobs/{id}/priority", JsonContent.Create(new { priority = 5 })),
            (HttpMethod.Post, $"/api/jobs/{id}/predict", new ByteArrayContent([0x89, 0x50, 0x4E, 0x47])),
            (HttpMethod.Post, "/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(file), options: ContractJson.Options)),
            (HttpMethod.Post, "/api/datasets/upload?name=forged.h5", new ByteArrayContent([1, 2, 3])),
            (HttpMethod.Post, "/api/datasets/optimize", JsonContent.Create(new { file })),
            (HttpMethod.Post, "/api/sweeps", JsonContent.Create(new { name = "forged" })),
            (HttpMethod.Post, "/api/me/api-keys", JsonContent.Create(new { name = "forged" })),
            (HttpMethod.Post, "/api/me/password", JsonContent.Create(new { currentPassword = WebTrainerSystem.AdminPassword, newPassword = "forged-password" })),
            (HttpMethod.Post, "/api/users/999/disable", null),
            (HttpMethod.Post, "/auth/logout", null),
        };

        foreach (var (method, path, body) in requests)
        {
            using var response = await browser.Http.SendAsync(new HttpRequestMessage(method, path) { Content = body });
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {text}");
            Assert.Contains("missing or invalid antiforgery token", text, StringComparison.Ordinal);
        }
        Assert.Equal(JobStatus.Queued, (await _system.GetJobAsync(id)).Summary.Status);
        Assert.Equal(1, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM jobs"));
        Assert.False(File.Exists(Path.Combine(_system.DataRoot, "forged.h5")));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/me")).StatusCode); // the logout did not happen either
    }

    [Fact]
    public async Task CookieRequests_WithToken_AndApiKeyRequestsWithout_Succeed()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, WebTrainerSystem.AdminEmail, WebTrainerSystem.AdminPassword);
        await browser.UseAntiforgeryTokenAsync();

        using var submitted = await browser.Http.PostAsync("/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(file), options: ContractJson.Options));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = ContractJson.Deserialize<JobCreated>(await submitted.Content.ReadAsStringAsync()).Id;
        using var cloned = await browser.Http.PostAsync($"/api/jobs/{id}/clone", null);
        Assert.Equal(HttpStatusCode.Created, cloned.StatusCode);
        using var cancelled = await browser.Http.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        using var deleted = await browser.Http.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var clone = ContractJson.Deserialize<JobCreated>(await cloned.Content.ReadAsStringAsync()).Id;
        using var byKey = await _system.Http.PostAsync($"/api/jobs/{clone}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);

        using var logout = await browser.Http.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
    }

    [Fact]
    public async Task Hub_RefusesCookieConnectionsFromForeignPages_ButNotProgramsOrKeys()
    {
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, WebTrainerSystem.AdminEmail, WebTrainerSystem.AdminPassword);
        const string negotiate = "/hubs/jobs/negotiate?negotiateVersion=1";
        var own = _system.WebAddress!.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(browser.Http, "http://evil.example"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(browser.Http, own));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(browser.Http, null));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(_system.Http, "http://evil.example"));

        async Task<HttpStatusCode> NegotiateAsync(HttpClient client, string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, negotiate);
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
