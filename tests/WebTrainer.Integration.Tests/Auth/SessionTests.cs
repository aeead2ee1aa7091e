using System.Net;
using System.Net.Http.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Accounts;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>A sign-in ends when the person logs out, changes their password, or an admin disables or deletes them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync() => _system = await AccessSystem.StartAsync(server);

    [Fact]
    public async Task Logout_EndsTheSession_EvenForAReplayedCookie()
    {
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, WebTrainerSystem.AdminEmail, WebTrainerSystem.AdminPassword);
        await browser.UseAntiforgeryTokenAsync();
        var stolen = browser.CookieHeader;

        using var logout = await browser.Http.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        using var replay = _system.Anonymous();
        replay.DefaultRequestHeaders.Add("Cookie", stolen);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task DisabledUser_LosesCookieAndApiKey_UntilEnabled()
    {
        var id = await _system.AddMemberAsync("dora@webtrainer.test");
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, "dora@webtrainer.test", AccessSystem.MemberPassword);
        await browser.UseAntiforgeryTokenAsync();
        using var keyResponse = await browser.Http.PostAsJsonAsync("/api/me/api-keys", new CreateApiKeyRequest("script"), ContractJson.Options);
        var key = ContractJson.Deserialize<ApiKeyCreated>(await keyResponse.Content.ReadAsStringAsync()).Key;
        using var script = _system.Anonymous();
        script.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _system.Http.PostAsync($"/api/users/{id}/disable", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await AccessSystem.EventuallyAsync(browser.Http, "/api/me", HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
        using (var refused = await CookieBrowser.At(_system.WebAddress!).PostLoginAsync("dora@webtrainer.test", AccessSystem.MemberPassword))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode); // the form again, with its error: no cookie
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _system.Http.PostAsync($"/api/users/{id}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/me")).StatusCode); // that session stays ended
    }

    [Fact]
    public async Task PasswordChange_NeedsTheCurrentPassword_AndEndsOtherSessions()
    {
        await _system.AddMemberAsync("pat@webtrainer.test");
        using var laptop = await CookieBrowser.SignedInAsync(_system.WebAddress!, "pat@webtrainer.test", AccessSystem.MemberPassword);
        using var phone = await CookieBrowser.SignedInAsync(_system.WebAddress!, "pat@webtrainer.test", AccessSystem.MemberPassword);
        await phone.UseAntiforgeryTokenAsync();

        using var wrong = await phone.Http.PostAsJsonAsync("/api/me/password", new ChangePasswordRequest("not-the-password", "new-password-1"), ContractJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("currentPassword", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var tooShort = await phone.Http.PostAsJsonAsync("/api/me/password", new ChangePasswordRequest(AccessSystem.MemberPassword, "short"), ContractJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        using var changed = await phone.Http.PostAsJsonAsync("/api/me/password", new ChangePasswordRequest(AccessSystem.MemberPassword, "new-password-1"), ContractJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await AccessSystem.EventuallyAsync(laptop.Http, "/api/me", HttpStatusCode.Unauthorized));
        using (var old = await CookieBrowser.At(_system.WebAddress!).PostLoginAsync("pat@webtrainer.test", AccessSystem.MemberPassword))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }
        using var again = await CookieBrowser.SignedInAsync(_system.WebAddress!, "pat@webtrainer.test", "new-password-1");
        Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task DeletedUser_CannotSignIn_AndTheirJobsStayReadable()
    {
        var file = await _system.AddSyntheticDatasetAsync();
        var id = await _system.AddMemberAsync("dan@webtrainer.test");
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, "dan@webtrainer.test", AccessSystem.MemberPassword);
        await browser.UseAntiforgeryTokenAsync();
        using var submitted = await browser.Http.PostAsync("/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(file), options: ContractJson.Options));
        var job = ContractJson.Deserialize<Shared.Jobs.JobCreated>(await submitted.Content.ReadAsStringAsync()).Id;

        var admin = (await _system.Http.GetFromJsonAsync<UserInfo>("/api/me", ContractJson.Options))!.Id;
        Assert.Equal(HttpStatusCode.BadRequest, (await _system.Http.DeleteAsync($"/api/users/{admin}")).StatusCode); // not oneself
        Assert.Equal(HttpStatusCode.NoContent, (await _system.Http.DeleteAsync($"/api/users/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await AccessSystem.EventuallyAsync(browser.Http, "/api/me", HttpStatusCode.Unauthorized));
        Assert.Equal("dan@webtrainer.test", (await _system.GetJobAsync(job)).Summary.Owner);
        Assert.Equal(HttpStatusCode.OK, (await _system.Http.PostAsync($"/api/jobs/{job}/cancel", null)).StatusCode);
        Assert.Equal(0, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM users WHERE email = 'dan@webtrainer.test'"));
    }

    [Fact]
    public async Task WebRestart_KeepsTheCookieValid()
    {
        using var browser = await CookieBrowser.SignedInAsync(_system.WebAddress!, WebTrainerSystem.AdminEmail, WebTrainerSystem.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/me")).StatusCode);

        await _system.StopWebAsync();
        await _system.StartWebAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/me")).StatusCode);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
