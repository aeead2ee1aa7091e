using Microsoft.Playwright;
using WebTrainer.Testing;
using Xunit.Abstractions;

namespace WebTrainer.Browser.Tests.Support;

/// <summary>Full-page screenshots of what the tests saw, kept in <c>TestResults/screenshots</c> for people to look at.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");

    public static async Task SaveAsync(IPage page, string name, ITestOutputHelper output)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
