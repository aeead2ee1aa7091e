using Microsoft.Playwright;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Support;

/// <summary>
/// The base of browser tests that need a Web of their own and no Worker (whatever gets queued stays
/// visible in the database): a fresh system, signed-in page, and the Web's output in the test log.
/// </summary>
public abstract class PageTest(PostgresServer server, Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    protected WebTrainerSystem Web { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;
    protected ITestOutputHelper Output => output;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(60_000);
        Web = await WebTrainerSystem.CreateAsync(server);
        await PrepareDataAsync(Web);
        await Web.StartWebAsync();
        Page = await chromium.NewPageAsync(Web.WebAddress!, output);
    }

    /// <summary>Puts what the test needs under the data root before the Web starts.</summary>
    protected virtual Task PrepareDataAsync(WebTrainerSystem system) => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await Page.Context.CloseAsync();
        output.WriteLine("web:\n" + Web.Web?.Tail(40));
        await Web.DisposeAsync();
    }
}
