using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Datasets;

/// <summary>Uploading from the Datasets page: a good HDF5 file is listed, a fake one is refused and not kept.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DatasetUploadTests(PostgresServer server, Chromium chromium, ITestOutputHelper output)
    : PageTest(server, chromium, output)
{
    private readonly TempDirectory _outside = new("webtrainer-upload-source");

    [Fact]
    public async Task UploadFromTheDatasetsPage_ListsAGoodFile_AndRefusesAFakeOne()
    {
        var good = _outside.File("uploaded-stripes.h5");
        Assert.Equal(0, await Worker.Samples.DatasetCommand.RunAsync(["synth", "--out", good, "--count", "120", "--size", "8"], CancellationToken.None));
        var fake = _outside.File("fake.h5");
        await File.WriteAllTextAsync(fake, "a text file wearing an .h5 name");
        await Page.GotoAsync("/datasets");
        await Expect(Page.GetByTestId("upload")).ToHaveAttributeAsync("data-ready", "true");

        await Page.GetByTestId("upload-input").SetInputFilesAsync(good);
        await Expect(Page.GetByTestId("upload-message")).ToContainTextAsync("uploaded-stripes.h5 was uploaded");
        await Expect(Page.Locator("tr[data-file='uploaded-stripes.h5']")).ToBeVisibleAsync();
        await Expect(Page.Locator("tr[data-file='uploaded-stripes.h5'] [data-testid='dataset-owner']")).ToHaveTextAsync(WebTrainerSystem.AdminEmail);

        await Page.GetByTestId("upload-input").SetInputFilesAsync(fake);
        await Expect(Page.GetByTestId("upload-message")).ToContainTextAsync("not a usable HDF5 file");
        await Screenshots.SaveAsync(Page, "datasets-upload", Output);

        Assert.True(File.Exists(Path.Combine(Web.DataRoot, "uploaded-stripes.h5")));
        Assert.Equal(new FileInfo(good).Length, new FileInfo(Path.Combine(Web.DataRoot, "uploaded-stripes.h5")).Length);
        Assert.Equal(["uploaded-stripes.h5"], Directory.EnumerateFiles(Web.DataRoot).Select(Path.GetFileName));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _outside.Dispose();
    }
}
