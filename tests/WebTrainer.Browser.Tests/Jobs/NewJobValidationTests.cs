using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Jobs;

/// <summary>A spec the form cannot accept shows what is wrong where it is wrong, and nothing is queued.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NewJobValidationTests(PostgresServer server, Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(60_000);
        // No Worker: whatever got queued would stay visible in the database.
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.AddSyntheticDatasetAsync("stripes.h5", count: 200);
        await File.WriteAllTextAsync(Path.Combine(_system.DataRoot, "broken.h5"), "not an HDF5 file");
        await _system.StartWebAsync();
        _page = await chromium.NewPageAsync(_system.WebAddress!, output);
    }

    [Fact]
    public async Task InvalidSpec_ShowsInlineErrors_BeforeAndAfterSubmit_AndQueuesNothing()
    {
        await _page.GotoAsync("/jobs/new");
        await _page.GetByTestId("file").SelectOptionAsync("stripes.h5");
        await Expect(_page.GetByTestId("train-images")).ToHaveValueAsync("train_img");

        var epochs = _page.GetByTestId("epochs");
        await epochs.FillAsync("0");
        await epochs.PressAsync("Tab");

        // Inline, before any submit: the validator the REST API uses, run as the field changes.
        await Expect(_page.GetByTestId("error-training.epochs")).ToContainTextAsync("between 1 and 10000");
        await Screenshots.SaveAsync(_page, "new-job-invalid", output);
        await _page.GetByTestId("submit").ClickAsync();
        await Expect(_page.GetByTestId("form-errors")).ToContainTextAsync("not queued");
        await Expect(_page.GetByTestId("error-training.epochs")).ToBeVisibleAsync();
        Assert.EndsWith("/jobs/new", _page.Url, StringComparison.Ordinal);

        // Fields that pass, a file that does not: the submitter's dataset check answers.
        await epochs.FillAsync("1");
        await epochs.PressAsync("Tab");
        await Expect(_page.GetByTestId("error-training.epochs")).ToHaveCountAsync(0);
        await _page.GetByTestId("file").SelectOptionAsync("broken.h5");
        await _page.GetByTestId("submit").ClickAsync();
        await Expect(_page.GetByTestId("dataset-problem")).ToContainTextAsync("broken.h5: not an HDF5 file");
        Assert.EndsWith("/jobs/new", _page.Url, StringComparison.Ordinal);

        await _page.GotoAsync("/");
        await Expect(_page.GetByTestId("no-jobs")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("jobs-table")).ToHaveCountAsync(0);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM jobs"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM hangfire.job"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_system.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        output.WriteLine("web:\n" + _system.Web?.Tail(40));
        await _system.DisposeAsync();
    }
}
