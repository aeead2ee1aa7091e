using System.Net;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>Tried as a new user would: without an identity only sign-in and /health answer.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AccessTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync()
    {
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.StartWebAsync();
    }

    [Theory]
    [InlineData("GET", "/api/jobs")]
    [InlineData("GET", "/api/jobs/1")]
    [InlineData("POST", "/api/jobs")]
    [InlineData("POST", "/api/jobs/1/cancel")]
    [InlineData("DELETE", "/api/jobs/1")]
    [InlineData("GET", "/api/datasets")]
    [InlineData("GET", "/api/workers")]
    [InlineData("GET", "/api/me")]
    [InlineData("GET", "/api/users")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("POST", "/hubs/jobs/negotiate?negotiateVersion=1")]
    public async Task Anonymous_ApiRequests_Are401(string method, string path)
    {
        using var client = _system.Anonymous();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/scalar/v1")]
    [InlineData("/hangfire")]
    public async Task Anonymous_Pages_RedirectToSignIn(string path)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = _system.WebAddress };
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_SignInPageAndHealth_Answer()
    {
        using var client = _system.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task UnknownApiKey_Is401()
    {
        using var client = _system.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", "wt_not_a_real_key_at_all_000000");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task Member_ReadsTheTeamsJobs_ButCannotCancelOrDeleteAnothersJob()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        using var member = await _system.MemberAsync("mia@webtrainer.test");

        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/jobs/{id}")).StatusCode);
        using var cancel = await member.PostAsync($"/api/jobs/{id}/cancel", null);
        using var delete = await member.DeleteAsync($"/api/jobs/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains(WebTrainerSystem.AdminEmail, await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(JobStatus.Queued, (await _system.GetJobAsync(id)).Summary.Status);
    }

    [Fact]
    public async Task Member_OwnsWhatTheySubmit_AndMayCancelIt()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        using var member = await _system.MemberAsync("max@webtrainer.test");
        using var submitted = await member.PostAsync("/api/jobs", System.Net.Http.Json.JsonContent.Create(WebTrainerSystem.SmallSpec(file),
            options: Shared.Json.ContractJson.Options));
        var id = Shared.Json.ContractJson.Deserialize<JobCreated>(await submitted.Content.ReadAsStringAsync()).Id;

        using var cancel = await member.PostAsync($"/api/jobs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var job = await _system.GetJobAsync(id);
        Assert.Equal("max@webtrainer.test", job.Summary.Owner);
        Assert.Equal(JobStatus.Cancelled, job.Summary.Status);
    }

    [Fact]
    public async Task Member_IsKeptOutOfAdminPlaces()
    {
        using var member = await _system.MemberAsync("moe@webtrainer.test");

        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _system.Http.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Me_SaysWhoIsSignedIn()
    {
        using var json = JsonDocument.Parse(await _system.Http.GetStringAsync("/api/me"));

        Assert.Equal(WebTrainerSystem.AdminEmail, json.RootElement.GetProperty("email").GetString());
        Assert.Equal("admin", json.RootElement.GetProperty("role").GetString());
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
