using System.Net.Http.Json;
using Npgsql;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Sweeps;
using WebTrainer.Testing;
using WebTrainer.Shared.Storage;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Sweeps;

/// <summary>
/// The sweep pages in a real browser against a real Web and database. No Worker: results are
/// written to the database and announced over NOTIFY as a Worker would, so the test decides which
/// run is best and watches the page follow.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SweepPageTests(PostgresServer server, Chromium chromium, ITestOutputHelper output)
    : PageTest(server, chromium, output)
{
    protected override Task PrepareDataAsync(WebTrainerSystem system) => system.AddSyntheticDatasetAsync("stripes.h5", count: 200);

    [Fact]
    public async Task SweepPage_ShowsEachPointsRow_AndHighlightsTheBestRun_Live()
    {
        var created = await CreateSweepAsync();
        await FinishAsync(created.JobIds[0], 0.50);
        await FinishAsync(created.JobIds[1], 0.80);

        await Page.GotoAsync($"/sweeps/{created.Id}");

        var rows = Page.GetByTestId("sweep-point");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(Page.Locator($"tr[data-job-id='{created.JobIds[1]}']")).ToHaveAttributeAsync("data-best", "true");
        await Expect(Page.Locator("tr[data-best='true']")).ToHaveCountAsync(1);
        await Expect(Page.Locator($"tr[data-job-id='{created.JobIds[1]}'] td[data-path='training.learningRate']")).ToHaveTextAsync("0.02");
        await Expect(Page.Locator($"tr[data-job-id='{created.JobIds[2]}'] [data-testid=status]")).ToHaveTextAsync("Queued");

        // The third run ends better: the page follows without a reload.
        await FinishAsync(created.JobIds[2], 0.90);
        await Expect(Page.Locator($"tr[data-job-id='{created.JobIds[2]}']")).ToHaveAttributeAsync("data-best", "true");
        await Expect(Page.Locator($"tr[data-job-id='{created.JobIds[2]}'] [data-testid=status]")).ToHaveTextAsync("Succeeded");
        await Expect(Page.Locator("tr[data-best='true']")).ToHaveCountAsync(1);

        // Sorting by accuracy, best first.
        await Page.Locator("th[data-sort='accuracy']").ClickAsync();
        await Page.Locator("th[data-sort='accuracy']").ClickAsync();
        await Expect(rows.First).ToHaveAttributeAsync("data-job-id", created.JobIds[2].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Screenshots.SaveAsync(Page, "sweep", Output);

        await Page.GetByTestId("compare-sweep").ClickAsync();
        await Expect(Page.GetByTestId("compare-table").Locator("thead th")).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task SweepForm_StartingFromAJob_QueuesTheGrid_AndOpensItsPage()
    {
        var job = await Web.SubmitOkAsync(WebTrainerSystem.SmallSpec("stripes.h5") with { Name = "base-run" });

        await Page.GotoAsync("/sweeps");
        await Expect(Page.GetByTestId("no-sweeps")).ToBeVisibleAsync();
        await Page.GetByTestId("base-job").SelectOptionAsync(job.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(Page.GetByTestId("base-json")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("stripes\\.h5"));
        await Page.GetByTestId("sweep-name").FillAsync("form-sweep");
        await Page.GetByTestId("param-path").First.FillAsync("training.learningRate");
        await Page.GetByTestId("param-values").First.FillAsync("0.01, 0.003");
        await Page.GetByTestId("add-row").ClickAsync();
        await Page.GetByTestId("param-path").Nth(1).FillAsync("training.optimizer");
        await Page.GetByTestId("param-values").Nth(1).FillAsync("adam, sgd");
        await Screenshots.SaveAsync(Page, "sweep-form", Output);
        await Page.GetByTestId("submit-sweep").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sweeps/\\d+$"));
        await Expect(Page.GetByTestId("sweep-point")).ToHaveCountAsync(4);
        var sweepId = long.Parse(Page.Url[(Page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var sweep = ContractJson.Deserialize<SweepDetail>(await Web.Http.GetStringAsync($"/api/sweeps/{sweepId}"));
        Assert.Equal(["form-sweep #1 learningRate=0.01 optimizer=adam", "form-sweep #2 learningRate=0.01 optimizer=sgd",
                      "form-sweep #3 learningRate=0.003 optimizer=adam", "form-sweep #4 learningRate=0.003 optimizer=sgd"],
            sweep.Points.Select(p => p.Name));

        // A bad path is refused where the form is, naming it.
        await Page.GotoAsync("/sweeps");
        await Page.GetByTestId("base-job").SelectOptionAsync(job.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("sweep-name").FillAsync("bad");
        await Page.GetByTestId("param-path").First.FillAsync("training.lr");
        await Page.GetByTestId("submit-sweep").ClickAsync();
        await Expect(Page.GetByTestId("sweep-errors")).ToContainTextAsync("training.lr");
        await Expect(Page.GetByTestId("sweeps-table").Locator("tbody tr")).ToHaveCountAsync(1);

        // A random search with a range, as the form writes it.
        await Page.GetByTestId("sweep-mode").SelectOptionAsync("random");
        await Page.GetByTestId("random-count").FillAsync("3");
        await Page.GetByTestId("param-path").First.FillAsync("training.learningRate");
        await Page.GetByTestId("param-values").First.FillAsync("logUniform(1e-4, 1e-2)");
        await Page.GetByTestId("submit-sweep").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/sweeps/(?!{sweepId}$)\\d+$"));
        await Expect(Page.GetByTestId("sweep-point")).ToHaveCountAsync(3);
        var random = ContractJson.Deserialize<SweepDetail>(await Web.Http.GetStringAsync(Page.Url.Replace("/sweeps/", "/api/sweeps/", StringComparison.Ordinal)));
        Assert.Equal(SweepSummary.Random, random.Summary.Kind);
        Assert.All(random.Points, p => Assert.InRange(p.Values["training.learningRate"].GetDouble(), 1e-4, 1e-2));
    }

    private async Task<SweepCreated> CreateSweepAsync()
    {
        using var response = await Web.Http.PostAsJsonAsync("/api/sweeps", new SweepRequest
        {
            Name = "lr",
            Base = WebTrainerSystem.SmallSpec("stripes.h5"),
            Grid = new Dictionary<string, IReadOnlyList<System.Text.Json.JsonElement>>
            {
                ["training.learningRate"] = [.. new[] { 0.01, 0.02, 0.03 }.Select(v => System.Text.Json.JsonSerializer.SerializeToElement(v))],
            },
        }, ContractJson.Options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return ContractJson.Deserialize<SweepCreated>(body);
    }

    /// <summary>What a Worker writes when a one-epoch run ends, and the NOTIFY that tells the Web.</summary>
    private async Task FinishAsync(long jobId, double accuracy)
    {
        await using var connection = new NpgsqlConnection(Web.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            UPDATE jobs SET status = 'Succeeded', epoch = 1, best_val_accuracy = @Accuracy, started_at = now(), finished_at = now() WHERE id = @Id;
            INSERT INTO epoch_metrics (job_id, epoch, metrics) VALUES (@Id, 1, CAST(@Metrics AS jsonb));
            SELECT pg_notify(@Channel, @Payload);
            """, connection);
        command.Parameters.AddWithValue("Id", jobId);
        command.Parameters.AddWithValue("Accuracy", accuracy);
        command.Parameters.AddWithValue("Metrics", ContractJson.Serialize(new EpochMetrics { Epoch = 1, ValidationAccuracy = accuracy, ValidationLoss = 1 - accuracy }));
        command.Parameters.AddWithValue("Channel", Notifications.UpdatesChannel);
        command.Parameters.AddWithValue("Payload", ContractJson.Serialize(new JobUpdate { JobId = jobId, Kind = JobUpdateKind.Status, Status = JobStatus.Succeeded }));
        await command.ExecuteNonQueryAsync();
    }
}
