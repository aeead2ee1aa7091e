using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Jobs;

/// <summary>Jobs submitted, trained and watched in the browser, against a real Web, Worker and database.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LiveTrainingTests(PostgresServer server, Chromium chromium, TrainingSystem training, ITestOutputHelper output)
    : IClassFixture<TrainingSystem>, IAsyncLifetime
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(3);
    private WebTrainerSystem _system = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(60_000);
        _system = await training.GetAsync(server);
        _page = await chromium.NewPageAsync(_system.WebAddress!, output);
    }

    [Fact]
    public async Task NewJobForm_QueuesAJob_WhosePageShowsItTrainLive_UntilTestResults()
    {
        await _page.GotoAsync("/jobs/new");
        // The only file is chosen and its splits recognised from the dataset names.
        await Expect(_page.GetByTestId("train-images")).ToHaveValueAsync("train_img");
        await Expect(_page.GetByTestId("validation-labels")).ToHaveValueAsync("valid_labels");
        // The inspector: datasets with their storage, label checks, a grid of train samples with classes.
        await Expect(_page.GetByTestId("dataset-outline")).ToContainTextAsync("[420, 16, 16, 3]");
        await Expect(_page.GetByTestId("label-checks")).ToContainTextAsync("one-hot, 420 labels, 4 classes — checked");
        await Expect(_page.GetByTestId("samples").Locator("img")).ToHaveCountAsync(8);
        await Expect(_page.GetByTestId("samples")).ToContainTextAsync("stripes");
        // The augmentation preview appears with the first augmentation and changes with the epoch.
        await Expect(_page.GetByTestId("augmented-samples")).ToHaveCountAsync(0);
        await _page.GetByTestId("horizontal-flip").CheckAsync();
        await SetAsync("rotation-range", "30");
        await Expect(_page.GetByTestId("augmented-samples").Locator("img")).ToHaveCountAsync(8);
        var before = await _page.GetByTestId("augmented-samples").Locator("img").First.GetAttributeAsync("src");
        await _page.GetByTestId("next-epoch").ClickAsync();
        await Expect(_page.GetByTestId("augmented-samples").Locator("img").First).Not.ToHaveAttributeAsync("src", before!);
        await Screenshots.SaveAsync(_page, "new-job-preview", output);
        // These stripes' classes are their angles: train this run without changing them.
        await _page.GetByTestId("horizontal-flip").UncheckAsync();
        await SetAsync("rotation-range", "0");
        await Expect(_page.GetByTestId("augmented-samples")).ToHaveCountAsync(0);
        await SetAsync("name", "from-the-form");
        // Long enough (about 20 s here, in Release) to watch it move even on a faster machine, short enough for the suite.
        await SetAsync("epochs", "50");
        await SetAsync("batch-size", "8");
        await SetAsync("learning-rate", "0.003");
        await Screenshots.SaveAsync(_page, "new-job", output);

        await _page.GetByTestId("submit").ClickAsync();
        await Expect(_page).ToHaveURLAsync(JobUrl());
        var id = long.Parse(JobUrl().Match(_page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        // While it trains, the progress bar and the charts move.
        // Its epochs can be shorter than the Worker's 200 ms batch-report interval on a fast, idle machine, so the
        // "batch b/B" text (ProgressInfoTests) may never be on screen here: wait for the first finished epochs instead.
        await Expect(_page.GetByTestId("progress-text")).ToHaveTextAsync(new Regex("^epoch ([1-9]|[1-3][0-9])/50"), new() { Timeout = 120_000 });
        var text = await _page.GetByTestId("progress-text").InnerTextAsync();
        var width = await _page.GetByTestId("progress-bar").GetAttributeAsync("style");
        var points = await Dashboard.PointsAsync(_page, "chart-loss", 0);
        await Dashboard.WaitForAsync(() => _page.GetByTestId("progress-text").InnerTextAsync(), t => t != text, TrainingTimeout, "progress text");
        await Dashboard.WaitForAsync(() => _page.GetByTestId("progress-bar").GetAttributeAsync("style"), w => w != width, TrainingTimeout, "progress bar width");
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-loss", 0), p => p > points, TrainingTimeout, "batch loss points");
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-accuracy", 3), p => p >= 1, TrainingTimeout, "validation accuracy points");
        await Screenshots.SaveAsync(_page, "job-running", output);

        var ended = await _system.WaitForJobAsync(id, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TrainingTimeout);
        Assert.True(ended.Summary.Status == JobStatus.Succeeded, $"job {id} ended {ended.Summary.Status}: {ended.Summary.Error}");
        await Expect(_page.GetByTestId("status")).ToHaveTextAsync("Succeeded");
        await Expect(_page.GetByTestId("test-accuracy")).ToContainTextAsync("%");
        await Expect(_page.GetByTestId("per-class").Locator("tbody tr")).ToHaveCountAsync(4);
        // The table and the charts are separate updates (a DOM diff, then a plotly.js call): wait for each chart.
        await Dashboard.WaitForAsync(() => _page.EvaluateAsync<int>("() => document.getElementById('chart-confusion')?.data?.[0]?.z?.length ?? -1"),
            rows => rows == 4, TimeSpan.FromSeconds(30), "confusion matrix rows");
        var epochs = await Dashboard.WaitForAsync(() => Dashboard.XAsync(_page, "chart-accuracy", 3), x => x.Length >= 50, TimeSpan.FromSeconds(30), "all 50 epochs");
        Assert.Equal(Enumerable.Range(1, 50).Select(e => (double)e), epochs);
        await Expect(_page.GetByTestId("progress-bar")).ToHaveAttributeAsync("style", "width: 100%");
        await Expect(_page.GetByTestId("events")).ToContainTextAsync("Test accuracy");
        await Expect(_page.GetByTestId("download-model")).ToHaveAttributeAsync("href", $"/api/jobs/{id}/artifacts/model");
        await Expect(_page.GetByTestId("download-model-pt")).ToHaveAttributeAsync("href", $"/api/jobs/{id}/artifacts/model?format=pt");
        await Expect(_page.GetByTestId("download-model-safetensors")).ToHaveAttributeAsync("href", $"/api/jobs/{id}/artifacts/model?format=safetensors");
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-model").ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), $"webtrainer-download-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(saved);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(saved))
        {
            Assert.Equal(["model.json", "model.weights"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }
        File.Delete(saved);
        await Screenshots.SaveAsync(_page, "job-succeeded", output);
    }

    [Fact]
    public async Task JobPage_OpenedMidRun_ShowsTheEarlierEpochs_ThenFollowsNewOnes_UntilCancelled()
    {
        var id = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(TrainingSystem.DatasetFile, epochs: 1000, batchSize: 8) with { Name = "opened-mid-run" });
        await _system.WaitForJobAsync(id, j => j.Epochs.Count >= 2, TrainingTimeout);
        // As over a slow connection: plotly.js arrives seconds after the page has its history, and live points
        // keep coming meanwhile. Each must be drawn once (they were twice: added to the traces newPlot had not
        // sent yet, and appended again by extendTraces).
        await _page.RouteAsync("**/_content/Plotly.Blazor/plotly-*.min.js", async route =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            await route.ContinueAsync();
        });

        await _page.GotoAsync($"/jobs/{id}");

        var epochs = await Dashboard.WaitForAsync(() => Dashboard.XAsync(_page, "chart-accuracy", 3), x => x.Length >= 2, TimeSpan.FromSeconds(30), "validation epochs");
        Assert.Equal(1, epochs[0]);
        Assert.Equal(2, epochs[1]);
        // Each chart is drawn by its own plotly.js call: the loss chart may still be empty for a moment.
        var batches = await Dashboard.WaitForAsync(() => Dashboard.XAsync(_page, "chart-loss", 0), b => b.Length > 0, TimeSpan.FromSeconds(30), "batch points");
        Assert.True(batches[0] < 1, $"batches of epoch 1 come from history: first x {batches.FirstOrDefault()}");
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-accuracy", 3), n => n > epochs.Length, TrainingTimeout, "a new epoch point");
        var x = await Dashboard.XAsync(_page, "chart-accuracy", 3);
        Assert.Equal(Enumerable.Range(1, x.Length).Select(e => (double)e), x);
        var drawn = await Dashboard.XAsync(_page, "chart-loss", 0);
        var repeated = drawn.Zip(drawn.Skip(1)).Where(p => p.Second <= p.First).ToList();
        Assert.True(repeated.Count == 0, $"{drawn.Length} batch points, {repeated.Count} not after the one before, first at x {repeated.FirstOrDefault().First}");

        await _page.GetByTestId("cancel-job").ClickAsync();

        await Expect(_page.GetByTestId("status")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });
        await Expect(_page.GetByTestId("events")).ToContainTextAsync("Cancelled on request");
        await Expect(_page.GetByTestId("download-model")).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("download-model-pt")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ComparePage_OverlaysRuns_AndHighlightsTheHyperparametersThatDiffer()
    {
        var slow = await _system.SubmitOkAsync(Spec("lr-0.001", learningRate: 0.001));
        var fast = await _system.SubmitOkAsync(Spec("lr-0.01", learningRate: 0.01));
        await _system.WaitForJobAsync(fast, j => j.Summary.Status == JobStatus.Succeeded, TrainingTimeout);

        await _page.GotoAsync($"/compare?ids={slow},{fast}");

        await Expect(_page.GetByTestId("compare-table")).ToBeVisibleAsync();
        await Dashboard.WaitForAsync(() => Dashboard.TracesAsync(_page, "chart-compare-accuracy"), n => n == 2, TimeSpan.FromSeconds(30), "overlaid runs");
        // plotly draws each chart twice as the page starts (its first render, then the runs): poll, do not read once.
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-compare-accuracy", 0), n => n == 2, TimeSpan.FromSeconds(30), "epochs of the first run");
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-compare-loss", 1), n => n == 2, TimeSpan.FromSeconds(30), "epochs of the second run");
        var table = _page.GetByTestId("compare-table");
        await Expect(table.Locator("tr[data-path='training.learningRate']")).ToHaveAttributeAsync("data-differs", "true");
        await Expect(table.Locator("tr[data-path='training.learningRate']")).ToContainTextAsync("0.01");
        await Expect(table.Locator("tr[data-path='training.batchSize']")).ToHaveAttributeAsync("data-differs", "false");
        await Screenshots.SaveAsync(_page, "compare", output);

        // The picker changes the selection, and the address with it.
        await _page.GetByTestId($"pick-{fast}").UncheckAsync();
        // Blazor changes the address in place (history.replaceState): Playwright's WaitForURL can miss such a change
        // that lands between its first look and its wait for a navigation; the assertion polls the address instead.
        await Expect(_page).ToHaveURLAsync(new Regex($"ids={slow}$"));
        await Dashboard.WaitForAsync(() => Dashboard.TracesAsync(_page, "chart-compare-accuracy"), n => n == 1, TimeSpan.FromSeconds(30), "runs after unpicking one");
    }

    [Fact]
    public async Task ListPages_ShowJobsDatasetsAndWorkers_AndJobsCanBeClonedAndDeleted()
    {
        var id = await _system.SubmitOkAsync(Spec("listed"));
        await _system.WaitForJobAsync(id, j => j.Summary.Status == JobStatus.Succeeded, TrainingTimeout);

        await _page.GotoAsync("/");
        var row = _page.Locator($"tr[data-job-id='{id}']");
        await Expect(row.GetByTestId("status")).ToHaveTextAsync("Succeeded");
        await Expect(row).ToContainTextAsync("listed");
        await Expect(row).ToContainTextAsync("%");
        await _page.GetByTestId("filter-search").FillAsync("no-such-job");
        await Expect(_page.GetByTestId("no-jobs")).ToBeVisibleAsync();
        await _page.GetByTestId("filter-search").FillAsync("");
        await Expect(row).ToBeVisibleAsync();
        await Screenshots.SaveAsync(_page, "jobs", output);

        // Clone opens the New job form with the job's spec.
        await row.GetByTestId("clone").ClickAsync();
        await Expect(_page.GetByTestId("name")).ToHaveValueAsync("listed (copy)");
        await Expect(_page.GetByTestId("batch-size")).ToHaveValueAsync("16");
        await Expect(_page.GetByTestId("epochs")).ToHaveValueAsync("2");
        await _page.GoBackAsync();

        // Delete asks once more, then the row is gone.
        await row.GetByTestId("delete").ClickAsync();
        await row.GetByTestId("confirm-delete").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(_page.GetByTestId("message")).ToContainTextAsync($"Job {id} was deleted");

        await _page.GotoAsync("/datasets");
        await Expect(_page.Locator($"tr[data-file='{TrainingSystem.DatasetFile}']")).ToContainTextAsync("KiB");
        await Screenshots.SaveAsync(_page, "datasets", output);

        await _page.GotoAsync("/workers");
        await Expect(_page.Locator("tr[data-worker='worker-1']").GetByTestId("alive")).ToHaveTextAsync("alive");
        await Screenshots.SaveAsync(_page, "workers", output);
    }

    [Fact]
    public async Task AfterAWebRestart_TheOpenJobPage_ReloadsWithItsFullHistory()
    {
        var id = await _system.SubmitOkAsync(Spec("survives-restart"));
        await _system.WaitForJobAsync(id, j => j.Summary.Status == JobStatus.Succeeded, TrainingTimeout);
        await _page.GotoAsync($"/jobs/{id}");
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-accuracy", 3), n => n == 2, TimeSpan.FromSeconds(30), "epochs before the restart");
        await _page.EvaluateAsync("() => window.beforeRestart = true");
        var navigated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _page.FrameNavigated += (_, frame) =>
        {
            if (frame == _page.MainFrame)
            {
                navigated.TrySetResult();
            }
        };

        await _system.StopWebAsync();
        await _system.StartWebAsync();

        // The old circuit died with the process; Blazor's reconnect finds it rejected and reloads the page.
        await navigated.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await _page.WaitForLoadStateAsync(LoadState.Load);
        Assert.False(await _page.EvaluateAsync<bool>("() => window.beforeRestart === true"), "the page was reloaded");
        await Dashboard.WaitForAsync(() => Dashboard.PointsAsync(_page, "chart-accuracy", 3), n => n == 2, TimeSpan.FromSeconds(60), "epochs after the restart");
        await Expect(_page.GetByTestId("status")).ToHaveTextAsync("Succeeded");
    }

    private static JobSpec Spec(string name, double learningRate = 0.003) =>
        WebTrainerSystem.SmallSpec(TrainingSystem.DatasetFile, epochs: 2, batchSize: 16) with
        {
            Name = name,
            Training = new TrainingSpec { Epochs = 2, BatchSize = 16, LearningRate = learningRate, Device = "cpu" },
        };

    private async Task SetAsync(string testId, string value)
    {
        var input = _page.GetByTestId(testId);
        await input.FillAsync(value);
        // Blazor binds on change, which the browser fires when the field loses focus.
        await input.PressAsync("Tab");
    }

    [GeneratedRegex(@"/jobs/(\d+)$")]
    private static partial Regex JobUrl();

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        output.WriteLine("web:\n" + _system.Web?.Tail(40));
        foreach (var worker in _system.Workers)
        {
            output.WriteLine("worker:\n" + worker.Tail(60));
        }
        // A test that failed half-way may leave its job running; the next test would queue behind it.
        foreach (var status in new[] { JobStatus.Running, JobStatus.Queued })
        {
            var jobs = await _system.Http.GetFromJsonAsync<JobListPage>($"/api/jobs?status={status}", ContractJson.Options);
            foreach (var job in jobs?.Items ?? [])
            {
                (await _system.Http.PostAsync($"/api/jobs/{job.Id}/cancel", null)).Dispose();
            }
        }
    }
}
