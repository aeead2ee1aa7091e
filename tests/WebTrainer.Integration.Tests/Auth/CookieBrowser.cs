using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>A client that signs in through the sign-in form and keeps its cookies, as a browser does.</summary>
internal sealed partial class CookieBrowser : IDisposable
{
    private readonly HttpClientHandler _handler;

    private CookieBrowser(Uri address)
    {
        Address = address;
        _handler = new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        Http = new HttpClient(_handler) { BaseAddress = address };
    }

    public Uri Address { get; }
    public HttpClient Http { get; }

    /// <summary>The cookies as a Cookie header, to replay them from another client.</summary>
    public string CookieHeader => _handler.CookieContainer.GetCookieHeader(Address);

    public static CookieBrowser At(Uri address) => new(address);

    public static async Task<CookieBrowser> SignedInAsync(Uri address, string email, string password)
    {
        var browser = new CookieBrowser(address);
        using var response = await browser.PostLoginAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return browser;
    }

    /// <summary>Posts the sign-in form with the form's own antiforgery field.</summary>
    public async Task<HttpResponseMessage> PostLoginAsync(string email, string password)
    {
        var form = await Http.GetStringAsync("/login");
        var token = FormToken().Match(form).Groups[1].Value;
        return await Http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>The token of <c>GET /api/auth/antiforgery</c>, sent from now on in header X-CSRF-TOKEN.</summary>
    public async Task UseAntiforgeryTokenAsync()
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync("/api/auth/antiforgery"));
        var header = json.RootElement.GetProperty("headerName").GetString()!;
        Http.DefaultRequestHeaders.Remove(header);
        Http.DefaultRequestHeaders.Add(header, json.RootElement.GetProperty("token").GetString());
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
