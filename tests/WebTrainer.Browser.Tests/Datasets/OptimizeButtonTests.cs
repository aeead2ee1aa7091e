using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Datasets;

/// <summary>"Optimise for training" on the Datasets page queues the job, links to it, and its page shows rows and the output.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OptimizeButtonTests(PostgresServer server, Chromium chromium, ITestOutputHelper output)
    : PageTest(server, chromium, output)
{
    protected override Task PrepareDataAsync(WebTrainerSystem system)
    {
        BadChunksFile.Write(Path.Combine(system.DataRoot, "food.h5"));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OptimiseButton_QueuesTheJob_WhosePageShowsRowsWrittenAndTheNewFile()
    {
        await Web.StartWorkerAsync("worker-1");
        await Page.GotoAsync("/datasets");
        var row = Page.Locator("tr[data-file='food.h5']");

        await row.GetByTestId("optimize-layout").SelectOptionAsync("chunked");
        await row.GetByTestId("optimize-button").ClickAsync();
        await Expect(row.GetByTestId("optimize-job")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "datasets-optimize", Output);
        await row.GetByTestId("optimize-job").ClickAsync();

        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await Expect(Page.GetByTestId("optimize-output")).ToHaveTextAsync("food.optimized.h5");
        await Expect(Page.GetByTestId("optimize-layout")).ToHaveTextAsync("chunked, uncompressed");
        await Expect(Page.GetByTestId("progress-text")).ToContainTextAsync("600 rows written");
        await Expect(Page.GetByTestId("stat-rows")).ToContainTextAsync("600");
        await Expect(Page.GetByTestId("events")).ToContainTextAsync("Wrote food.optimized.h5");
        await Expect(Page.GetByTestId("charts")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("train-output")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "optimize-job", Output);
        Assert.True(File.Exists(Path.Combine(Web.DataRoot, "food.optimized.h5")));
    }
}
