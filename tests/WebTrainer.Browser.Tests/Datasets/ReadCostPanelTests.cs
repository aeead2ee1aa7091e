using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Datasets;

/// <summary>
/// The New job page's dataset panel shows each sampling mode's read cost, and for a file with
/// h5py's guessed chunks the warning with its fix and the "Optimise for training" button.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadCostPanelTests(PostgresServer server, Chromium chromium, ITestOutputHelper output)
    : PageTest(server, chromium, output)
{
    protected override Task PrepareDataAsync(WebTrainerSystem system)
    {
        Food101GuessedChunksFile.Write(Path.Combine(system.DataRoot, "food-guessed.h5"));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GuessedChunks_ShowTheReadCost_TheWarningAndTheOptimiseButton()
    {
        await Page.GotoAsync("/jobs/new?file=food-guessed.h5");
        var panel = Page.GetByTestId("dataset-panel");

        var costs = panel.GetByTestId("read-costs");
        await Expect(costs).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(costs.Locator("thead")).ToContainTextAsync("random");
        await Expect(costs.Locator("tbody tr").First).ToContainTextAsync("train_img");
        await Expect(costs.Locator("tbody tr").First).ToContainTextAsync("chunked"); // what auto picks
        await Expect(panel.GetByTestId("read-warning")).ToContainTextAsync("train_img: every shuffling mode reads at least");
        await Expect(panel.GetByTestId("read-warning")).ToContainTextAsync("h5repack -l train_img:CHUNK=1x299x299x3");
        await Expect(panel.GetByTestId("optimize-button")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "read-cost-warning", Output);
    }
}
