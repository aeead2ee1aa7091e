using System.Net;
using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Account;

/// <summary>A person makes an API key on the Account page, scripts use it, and revoking it locks them out.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountPageTests(PostgresServer server, Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(60_000);
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.StartWebAsync();
        _page = await chromium.NewPageAsync(_system.WebAddress!, output);
    }

    [Fact]
    public async Task ApiKeyMadeOnTheAccountPage_OpensTheApi_UntilItIsRevoked()
    {
        await _page.GotoAsync("/account");
        await Expect(_page.GetByTestId("account-email")).ToHaveTextAsync(WebTrainerSystem.AdminEmail);
        await _page.GetByTestId("key-name").FillAsync("notebook");
        await _page.GetByTestId("create-key").ClickAsync();
        var key = await _page.GetByTestId("new-key").Locator("code").InnerTextAsync();
        await Screenshots.SaveAsync(_page, "account", output);

        using var script = _system.Anonymous();
        script.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);

        await _page.GetByTestId("api-keys").Locator("tr", new() { HasText = "notebook" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(_page.GetByTestId("api-keys").Locator("tr", new() { HasText = "notebook" })).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await _system.DisposeAsync();
    }
}
