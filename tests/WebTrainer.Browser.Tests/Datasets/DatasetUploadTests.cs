using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Datasets;

/// <summary>Uploading from the Datasets page: a good HDF5 file is listed, a fake one is refused and not kept.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DatasetUploadTests(PostgresServer server, Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;
    private IPage _page = null!;
    private readonly TempDirectory _outside = new("webtrainer-upload-source");

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(60_000);
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.StartWebAsync();
        _page = await chromium.NewPageAsync(_system.WebAddress!, output);
    }

    [Fact]
    public async Task UploadFromTheDatasetsPage_ListsAGoodFile_AndRefusesAFakeOne()
    {
        var good = _outside.File("uploaded-stripes.h5");
        Assert.Equal(0, await Worker.Samples.DatasetCommand.RunAsync(["synth", "--out", good, "--count", "120", "--size", "8"], CancellationToken.None));
        var fake = _outside.File("fake.h5");
        await File.WriteAllTextAsync(fake, "a text file wearing an .h5 name");
        await _page.GotoAsync("/datasets");
        await Expect(_page.GetByTestId("upload")).ToHaveAttributeAsync("data-ready", "true");

        await _page.GetByTestId("upload-input").SetInputFilesAsync(good);
        await Expect(_page.GetByTestId("upload-message")).ToContainTextAsync("uploaded-stripes.h5 was uploaded");
        await Expect(_page.Locator("tr[data-file='uploaded-stripes.h5']")).ToBeVisibleAsync();

        await _page.GetByTestId("upload-input").SetInputFilesAsync(fake);
        await Expect(_page.GetByTestId("upload-message")).ToContainTextAsync("not a usable HDF5 file");
        await Screenshots.SaveAsync(_page, "datasets-upload", output);

        Assert.True(File.Exists(Path.Combine(_system.DataRoot, "uploaded-stripes.h5")));
        Assert.Equal(new FileInfo(good).Length, new FileInfo(Path.Combine(_system.DataRoot, "uploaded-stripes.h5")).Length);
        Assert.Equal(["uploaded-stripes.h5"], Directory.EnumerateFiles(_system.DataRoot).Select(Path.GetFileName));
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        output.WriteLine("web:\n" + _system.Web?.Tail(40));
        await _system.DisposeAsync();
        _outside.Dispose();
    }
}
