using System.Net;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Api;

/// <summary>
/// The jobs endpoints besides submission, against a real Web and database. No Worker runs, so
/// submitted jobs stay queued; other states are set in the database, as a Worker would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobsApiTests(PostgresServer server) : WebOnlyTest(server)
{

    [Fact]
    public async Task List_PagesFiltersAndSorts()
    {
        var alpha = await SubmitAsync("alpha");
        var beta = await SubmitAsync("beta");
        var gamma = await SubmitAsync("gamma");
        (await Web.Http.PostAsync($"/api/jobs/{beta}/cancel", null)).Dispose();

        var all = await ListAsync("");
        Assert.Equal(3, all.Total);
        Assert.Equal([gamma, beta, alpha], all.Items.Select(j => j.Id));

        var oldestFirst = await ListAsync("?sort=created_asc");
        Assert.Equal([alpha, beta, gamma], oldestFirst.Items.Select(j => j.Id));

        var byName = await ListAsync("?sort=name");
        Assert.Equal(["alpha", "beta", "gamma"], byName.Items.Select(j => j.Name));

        var secondPage = await ListAsync("?sort=created_asc&page=2&pageSize=2");
        Assert.Equal(3, secondPage.Total);
        Assert.Equal(2, secondPage.Page);
        Assert.Equal([gamma], secondPage.Items.Select(j => j.Id));

        var cancelled = await ListAsync("?status=Cancelled");
        Assert.Equal([beta], cancelled.Items.Select(j => j.Id));

        var searched = await ListAsync("?search=AMM");
        Assert.Equal([gamma], searched.Items.Select(j => j.Id));

        var byDatasetFile = await ListAsync("?search=stripes");
        Assert.Equal(3, byDatasetFile.Total);

        Assert.Equal(3, (await ListAsync($"?owner={WebTrainerSystem.AdminEmail}")).Total);
        Assert.Empty((await ListAsync("?owner=somebody-else")).Items);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?pageSize=0")]
    [InlineData("?pageSize=501")]
    public async Task List_BadPaging_Is400(string query)
    {
        using var response = await Web.Http.GetAsync("/api/jobs" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("paging", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/jobs/999")]
    [InlineData("DELETE", "/api/jobs/999")]
    [InlineData("POST", "/api/jobs/999/clone")]
    [InlineData("POST", "/api/jobs/999/cancel")]
    [InlineData("GET", "/api/jobs/999/metrics/epochs")]
    [InlineData("GET", "/api/jobs/999/metrics/batches")]
    [InlineData("GET", "/api/jobs/999/events")]
    public async Task UnknownJob_Is404(string method, string path)
    {
        using var response = await Web.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_IsAConflictWhileQueuedOrRunning_AndRemovesAnEndedJob()
    {
        var id = await SubmitAsync("to-delete");

        using (var whileQueued = await Web.Http.DeleteAsync($"/api/jobs/{id}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, whileQueued.StatusCode);
        }
        await Db.ExecuteAsync(Web.ConnectionString, "UPDATE jobs SET status = 'Running' WHERE id = @job", id);
        using (var whileRunning = await Web.Http.DeleteAsync($"/api/jobs/{id}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
            Assert.Contains("Running", await whileRunning.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await Db.ExecuteAsync(Web.ConnectionString, "UPDATE jobs SET status = 'Failed' WHERE id = @job", id);
        using (var ended = await Web.Http.DeleteAsync($"/api/jobs/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        using var gone = await Web.Http.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var again = await Web.Http.DeleteAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Clone_QueuesANewJobWithTheSameSpec()
    {
        var id = await SubmitAsync("original");

        using var response = await Web.Http.PostAsync($"/api/jobs/{id}/clone", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = ContractJson.Deserialize<JobCreated>(await response.Content.ReadAsStringAsync());
        Assert.NotEqual(id, created.Id);
        Assert.Equal($"/api/jobs/{created.Id}", response.Headers.Location?.ToString());
        var original = await Web.GetJobAsync(id);
        var copy = await Web.GetJobAsync(created.Id);
        Assert.Equal("original (copy)", copy.Summary.Name);
        Assert.Equal(JobStatus.Queued, copy.Summary.Status);
        Assert.Equal(ContractJson.Serialize(original.Spec with { Name = "" }), ContractJson.Serialize(copy.Spec with { Name = "" }));
        // Both wait for the dispatcher, which hands them to Hangfire when a Worker is free.
        Assert.Equal(2, await Db.CountAsync(Web.ConnectionString, "SELECT count(*) FROM jobs WHERE status = 'Queued'"));
    }

    [Fact]
    public async Task GetJob_ReturnsSpecSummaryAndNoMetricsYet()
    {
        var id = await SubmitAsync("fresh");

        var job = await Web.GetJobAsync(id);

        Assert.Equal("fresh", job.Summary.Name);
        Assert.Equal(JobStatus.Queued, job.Summary.Status);
        Assert.Equal(Dataset, job.Spec.Dataset.File);
        Assert.Empty(job.Epochs);
        Assert.Null(job.LastBatch);
        Assert.Null(job.Test);
    }

    private async Task<long> SubmitAsync(string name) =>
        await Web.SubmitOkAsync(WebTrainerSystem.SmallSpec(Dataset) with { Name = name });

    private async Task<JobListPage> ListAsync(string query)
    {
        using var response = await Web.Http.GetAsync("/api/jobs" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/jobs{query}: {(int)response.StatusCode} {body}");
        return ContractJson.Deserialize<JobListPage>(body);
    }
}
