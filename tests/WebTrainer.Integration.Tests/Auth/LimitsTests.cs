using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>Quotas, bounds and what anonymous callers and other members may see.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LimitsTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync() => _system = await AccessSystem.StartAsync(server);

    [Fact]
    public async Task Member_OverTheQueuedJobQuota_IsRefused_AndASweepIsCountedWhole()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        using var member = await _system.MemberAsync("quinn@webtrainer.test");
        var ids = new List<long>();
        for (var i = 0; i < AccessSystem.MaxQueued; i++)
        {
            using var ok = await member.PostAsync("/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(file), options: ContractJson.Options));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            ids.Add(ContractJson.Deserialize<JobCreated>(await ok.Content.ReadAsStringAsync()).Id);
        }

        using var over = await member.PostAsync("/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(file), options: ContractJson.Options));
        var problem = await over.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Contains($"has {AccessSystem.MaxQueued} queued or running jobs", problem, StringComparison.Ordinal);
        Assert.Contains($"limit is {AccessSystem.MaxQueued}", problem, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await member.PostAsync($"/api/jobs/{ids[0]}/cancel", null)).StatusCode);
        var grid = Sweeps.Sweeps.Grid("too-big", WebTrainerSystem.SmallSpec(file), """{ "training.learningRate": [0.01, 0.001] }""");
        using var sweep = await Sweeps.Sweeps.PostAsync(member, grid);
        Assert.Equal(HttpStatusCode.TooManyRequests, sweep.StatusCode);
        Assert.Contains("would add 2", await sweep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM sweeps"));

        var small = Sweeps.Sweeps.Grid("fits", WebTrainerSystem.SmallSpec(file), """{ "training.learningRate": [0.01] }""");
        await Sweeps.Sweeps.PostOkAsync(member, small);
        Assert.Equal(AccessSystem.MaxQueued + 1, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM jobs"));
    }

    [Fact]
    public async Task Health_TellsAnonymousCallersOnlyUpOrDown_AndAdminsTheDetails()
    {
        using var anonymous = _system.Anonymous();
        using var plain = await anonymous.GetAsync("/health");
        using var member = await _system.MemberAsync("hal@webtrainer.test");
        using var asMember = await member.GetAsync("/health");
        using var admin = await _system.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("Healthy", await plain.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await asMember.Content.ReadAsStringAsync());
        using var details = JsonDocument.Parse(await admin.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", details.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(2147483647, 500, "page")]
    [InlineData(0, 50, "page")]
    [InlineData(1, 501, "pageSize")]
    public async Task Paging_OutOfBounds_Is400_NamingTheBound(int page, int pageSize, string field)
    {
        using var response = await _system.Http.GetAsync($"/api/jobs?page={page}&pageSize={pageSize}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Contains("between 1 and", json.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_TheLastAllowedPage_IsEmptyNotAnError()
    {
        using var response = await _system.Http.GetAsync($"/api/jobs?page={Web.Jobs.JobPaging.MaxPage}&pageSize={Web.Jobs.JobPaging.MaxPageSize}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Member_CannotPredictWithOrReadTheManifestOfAnothersJob()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file));
        using var member = await _system.MemberAsync("mo@webtrainer.test");

        using var manifest = await member.GetAsync($"/api/jobs/{id}/artifacts/manifest");
        using var predict = await member.PostAsync($"/api/jobs/{id}/predict", new ByteArrayContent([0x89, 0x50, 0x4E, 0x47]));

        Assert.Equal(HttpStatusCode.Forbidden, manifest.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, predict.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _system.Http.GetAsync($"/api/jobs/{id}/artifacts/manifest")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DeclaresTheApiKeyAndCookieSchemes_OnTheEndpointsThatNeedThem()
    {
        using var json = JsonDocument.Parse(await _system.Http.GetStringAsync("/openapi/v1.json"));
        var root = json.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");

        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("cookie", schemes.GetProperty("Cookies").GetProperty("in").GetString());
        var create = root.GetProperty("paths").GetProperty("/api/jobs").GetProperty("post");
        Assert.Contains(create.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("ApiKey", out _));
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
