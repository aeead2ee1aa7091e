using System.Net;
using Microsoft.Playwright;
using WebTrainer.Browser.Tests.Support;
using WebTrainer.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WebTrainer.Browser.Tests.Account;

/// <summary>A person makes an API key on the Account page, scripts use it, and revoking it locks them out.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountPageTests(PostgresServer server, Chromium chromium, ITestOutputHelper output)
    : PageTest(server, chromium, output)
{
    [Fact]
    public async Task ApiKeyMadeOnTheAccountPage_OpensTheApi_UntilItIsRevoked()
    {
        await Page.GotoAsync("/account");
        await Expect(Page.GetByTestId("account-email")).ToHaveTextAsync(WebTrainerSystem.AdminEmail);
        await Page.GetByTestId("key-name").FillAsync("notebook");
        await Page.GetByTestId("create-key").ClickAsync();
        var key = await Page.GetByTestId("new-key").Locator("code").InnerTextAsync();
        await Screenshots.SaveAsync(Page, "account", Output);

        using var script = Web.Anonymous();
        script.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);

        await Page.GetByTestId("api-keys").Locator("tr", new() { HasText = "notebook" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(Page.GetByTestId("api-keys").Locator("tr", new() { HasText = "notebook" })).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SignOut_PostsTheFormWithItsToken_AndEndsTheSession()
    {
        await Page.GotoAsync("/account");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        await Page.GotoAsync("/account");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
    }

    [Fact]
    public async Task PasswordChange_OnTheAccountPage_NeedsTheCurrentPassword()
    {
        await Page.GotoAsync("/account");
        await Page.GetByTestId("current-password").FillAsync("not-the-password");
        await Page.GetByTestId("new-password").FillAsync("a-new-password-1");
        await Page.GetByTestId("change-password").ClickAsync();
        await Expect(Page.GetByTestId("password-message")).ToHaveTextAsync("The current password is wrong.");

        await Page.GetByTestId("current-password").FillAsync(WebTrainerSystem.AdminPassword);
        await Page.GetByTestId("new-password").FillAsync("a-new-password-1");
        await Page.GetByTestId("change-password").ClickAsync();
        await Expect(Page.GetByTestId("password-message")).ToContainTextAsync("Password changed");
    }
}
