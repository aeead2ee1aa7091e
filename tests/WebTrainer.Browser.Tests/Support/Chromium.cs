using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WebTrainer.Browser.Tests.Support;

/// <summary>
/// Debian's headless Chromium, started once for all browser tests and driven by Playwright.
/// Playwright never downloads a browser here: it is pointed at the system's executable.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string DefaultExecutable = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary><c>WEBTRAINER_CHROMIUM</c> when set, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("WEBTRAINER_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutable;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} not found: install Debian's chromium package (scripts/install-deps.sh test)");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            ],
        });
    }

    /// <summary>A fresh browser context (cookies, storage) with one page, signed in, at <paramref name="baseAddress"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, ITestOutputHelper output)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        // Two cores shared by PostgreSQL, the Web, a training Worker and the browser: be patient.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // The browser's own complaints (script errors, failed loads) explain most failing UI tests.
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Write(output, $"browser {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Write(output, $"browser page error: {error}");
        await SignInAsync(page);
        return page;
    }

    private static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has ended; a late message from a page being closed is of no use.
        }
    }

    /// <summary>Runs before a test's first navigation: signs in as the system's bootstrap admin, as a person would.</summary>
    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#email", Testing.WebTrainerSystem.AdminEmail);
        await page.FillAsync("#password", Testing.WebTrainerSystem.AdminPassword);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("[data-testid=signed-in-as]");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
