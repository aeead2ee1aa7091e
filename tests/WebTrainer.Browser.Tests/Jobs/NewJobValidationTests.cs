using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Jobs;

/// <summary>A spec the form cannot accept shows what is wrong where it is wrong, and nothing is queued.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NewJobValidationTests(PostgresServer server, Chromium chromium, ITestOutputHelper output)
    : PageTest(server, chromium, output)
{
    protected override async Task PrepareDataAsync(WebTrainerSystem system)
    {
        // No Worker: whatever got queued would stay visible in the database.
        await system.AddSyntheticDatasetAsync("stripes.h5", count: 200);
        await File.WriteAllTextAsync(Path.Combine(system.DataRoot, "broken.h5"), "not an HDF5 file");
    }

    [Fact]
    public async Task InvalidSpec_ShowsInlineErrors_BeforeAndAfterSubmit_AndQueuesNothing()
    {
        await Page.GotoAsync("/jobs/new");
        await Page.GetByTestId("file").SelectOptionAsync("stripes.h5");
        await Expect(Page.GetByTestId("train-images")).ToHaveValueAsync("train_img");

        var epochs = Page.GetByTestId("epochs");
        await epochs.FillAsync("0");
        await epochs.PressAsync("Tab");

        // Inline, before any submit: the validator the REST API uses, run as the field changes.
        await Expect(Page.GetByTestId("error-training.epochs")).ToContainTextAsync("between 1 and 10000");
        await Screenshots.SaveAsync(Page, "new-job-invalid", Output);
        await Page.GetByTestId("submit").ClickAsync();
        await Expect(Page.GetByTestId("form-errors")).ToContainTextAsync("not queued");
        await Expect(Page.GetByTestId("error-training.epochs")).ToBeVisibleAsync();
        Assert.EndsWith("/jobs/new", Page.Url, StringComparison.Ordinal);

        // Fields that pass, a file that does not: the submitter's dataset check answers.
        await epochs.FillAsync("1");
        await epochs.PressAsync("Tab");
        await Expect(Page.GetByTestId("error-training.epochs")).ToHaveCountAsync(0);
        await Page.GetByTestId("file").SelectOptionAsync("broken.h5");
        await Page.GetByTestId("submit").ClickAsync();
        await Expect(Page.GetByTestId("dataset-problem")).ToContainTextAsync("broken.h5: not an HDF5 file");
        Assert.EndsWith("/jobs/new", Page.Url, StringComparison.Ordinal);

        await Page.GotoAsync("/");
        await Expect(Page.GetByTestId("no-jobs")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("jobs-table")).ToHaveCountAsync(0);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM jobs"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM hangfire.job"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Web.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
