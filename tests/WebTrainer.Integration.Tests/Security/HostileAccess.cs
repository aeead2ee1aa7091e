using System.Net;
using System.Net.Http.Json;
using WebTrainer.Integration.Tests.Auth;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Security;

/// <summary>
/// Requests another site's page makes a signed-in member's browser send (no antiforgery token, a foreign
/// Origin), and a member's attempts on files that are not theirs.
/// </summary>
internal static class HostileAccess
{
    public const string OtherRootFile = "in-the-second-root.h5";

    public static IEnumerable<HostileCase> All(HostileContext c, CookieBrowser browser)
    {
        var forged = browser.Http;
        var own = c.MembersJob;
        Task<HttpResponseMessage> Forge(HttpMethod method, string path, HttpContent? body = null) =>
            forged.SendAsync(new HttpRequestMessage(method, path) { Content = body });
        const string Csrf = "antiforgery";

        yield return new("forged cancel", () => Forge(HttpMethod.Post, $"/api/jobs/{own}/cancel"), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged clone", () => Forge(HttpMethod.Post, $"/api/jobs/{own}/clone"), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged delete", () => Forge(HttpMethod.Delete, $"/api/jobs/{own}"), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged submit", () => Forge(HttpMethod.Post, "/api/jobs",
            JsonContent.Create(WebTrainerSystem.SmallSpec(c.GoodFile), options: ContractJson.Options)), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged upload", () => Forge(HttpMethod.Post, "/api/datasets/upload?name=forged.h5", new ByteArrayContent([1, 2, 3])), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged predict", () => Forge(HttpMethod.Post, $"/api/jobs/{c.TrainedJob}/predict",
            new ByteArrayContent(HostileContext.SmallPng())), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged sweep", () => Forge(HttpMethod.Post, "/api/sweeps", JsonContent.Create(new { name = "forged" })), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged API key", () => Forge(HttpMethod.Post, "/api/me/api-keys", JsonContent.Create(new { name = "forged" })), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged password change", () => Forge(HttpMethod.Post, "/api/me/password",
            JsonContent.Create(new { currentPassword = "member-password-1", newPassword = "forged-password-1" })), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged dataset delete", () => Forge(HttpMethod.Delete, $"/api/datasets?file={c.GoodFile}"), Csrf, HttpStatusCode.BadRequest);
        yield return new("forged logout", () => Forge(HttpMethod.Post, "/auth/logout"), Csrf, HttpStatusCode.BadRequest);
        yield return new("hub from another site's page", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/jobs/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", "https://evil.example");
            return forged.SendAsync(request);
        }, null, HttpStatusCode.Forbidden);

        yield return new("member overwrites the admin's dataset", () => c.Member.PostAsync($"/api/datasets/upload?name={c.GoodFile}&overwrite=true",
            new ByteArrayContent(File.ReadAllBytes(Path.Combine(c.System.DataRoot, c.GoodFile)))), c.GoodFile, HttpStatusCode.Forbidden);
        yield return new("member deletes the admin's dataset", () => c.Member.DeleteAsync($"/api/datasets?file={c.GoodFile}"), c.GoodFile, HttpStatusCode.Forbidden);
        yield return new("member shadows a file of another root", () => c.Member.PostAsync($"/api/datasets/upload?name={OtherRootFile}",
            new ByteArrayContent(File.ReadAllBytes(Path.Combine(c.System.DataRoot, c.GoodFile)))), OtherRootFile, HttpStatusCode.Conflict);
    }
}
