using System.Net;
using System.Net.Http.Json;
using System.Text;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Security;

/// <summary>Requests a careless or hostile client sends: extreme numbers, huge and deep bodies, odd names, others' jobs.</summary>
internal static class HostileRequests
{
    public static IEnumerable<HostileCase> All(HostileContext c)
    {
        var http = c.System.Http;
        Task<HttpResponseMessage> Get(string url) => http.GetAsync(url);
        Task<HttpResponseMessage> PostJson(string url, string json) =>
            http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        Task<HttpResponseMessage> Upload(string name, byte[] bytes) =>
            c.Member.PostAsync($"/api/datasets/upload?name={name}", new ByteArrayContent(bytes));

        // Paging and ids.
        yield return new("page 2147483647 of 500", () => Get("/api/jobs?page=2147483647&pageSize=500"), "page");
        yield return new("page -1", () => Get("/api/jobs?page=-1"), "page");
        yield return new("pageSize 0", () => Get("/api/jobs?pageSize=0"), "pageSize");
        yield return new("job id beyond long", () => Get("/api/jobs/99999999999999999999"), null, HttpStatusCode.NotFound);
        yield return new("negative job id", () => Get("/api/jobs/-5"), null, HttpStatusCode.NotFound);

        // Bodies.
        yield return new("JSON nested 5000 deep", () => PostJson("/api/jobs", new string('[', 5000) + new string(']', 5000)), "not a valid job spec");
        yield return new("JSON of 40 MB", () =>
        {
            // Expect: 100-continue lets the server refuse on Content-Length before the client sends the body.
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
            {
                Content = new StringContent("{\"name\":\"" + new string('x', 40_000_000) + "\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.ExpectContinue = true;
            return http.SendAsync(request);
        }, null, HttpStatusCode.RequestEntityTooLarge);
        yield return new("job name of 1 MB", () => PostJson("/api/jobs",
            ContractJson.Serialize(WebTrainerSystem.SmallSpec(c.GoodFile) with { Name = new string('n', 1_000_000) })), "name");
        yield return new("invalid UTF-8 in JSON", () => http.PostAsync("/api/jobs",
            new ByteArrayContent([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) { Headers = { { "Content-Type", "application/json" } } }), null);
        yield return new("sweep of a million points", () => PostJson("/api/sweeps", SweepJson(c.GoodFile,
            "\"training.learningRate\": [" + string.Join(',', Enumerable.Range(1, 1000).Select(i => $"{i}e-5")) + "], " +
            "\"training.batchSize\": [" + string.Join(',', Enumerable.Range(1, 1000)) + "]")), "points");
        yield return new("sweep over an unknown path", () => PostJson("/api/sweeps", SweepJson(c.GoodFile, "\"training.nonsense\": [1, 2]")), "training.nonsense");
        yield return new("sweep with no values", () => PostJson("/api/sweeps", SweepJson(c.GoodFile, "\"training.learningRate\": []")), "training.learningRate");
        yield return new("header of 64 KB", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
            request.Headers.Add("X-Padding", new string('p', 64 * 1024));
            return http.SendAsync(request);
        }, null);
        yield return new("API key of garbage", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
            request.Headers.Add("X-Api-Key", "wt_" + new string('z', 4000));
            return c.System.Anonymous().SendAsync(request);
        }, null, HttpStatusCode.Unauthorized);

        // File names given by users.
        yield return new("inspect ../../etc/passwd", () => Get("/api/datasets/inspect?file=../../etc/passwd"), "'..' is not allowed");
        yield return new("inspect an absolute path", () => Get("/api/datasets/inspect?file=/etc/passwd"), "absolute path");
        yield return new("inspect a name with NUL", () => Get("/api/datasets/inspect?file=good.h5%00.txt"), null);
        yield return new("inspect a folder", () => Get("/api/datasets/inspect?file=folder.h5"), "folder.h5");
        yield return new("inspect a missing file", () => Get("/api/datasets/inspect?file=nowhere.h5"), "nowhere.h5");
        yield return new("preview index -1", () => Get($"/api/datasets/preview?file={c.GoodFile}&dataset=train_img&index=-1"), "outside 'train_img'");
        yield return new("preview index 2^40", () => Get($"/api/datasets/preview?file={c.GoodFile}&dataset=train_img&index=1099511627776"), "outside 'train_img'");
        yield return new("preview a missing dataset", () => Get($"/api/datasets/preview?file={c.GoodFile}&dataset=nothing&index=0"), "nothing");
        yield return new("preview the labels", () => Get($"/api/datasets/preview?file={c.GoodFile}&dataset=train_labels&index=0"), "train_labels");
        yield return new("augmented preview of bad JSON", () => PostJson("/api/datasets/preview", "{\"file\": 3"), null);
        yield return new("upload named with NUL", () => Upload("a%00b.h5", [0x89, 0x48]), null);
        yield return new("upload named 300 characters", () => Upload(new string('a', 300) + ".h5", [0x89, 0x48]), "too long");
        yield return new("upload of nothing", () => Upload("empty.h5", []), null);
        yield return new("upload named %2e%2e%2f", () => Upload("%2e%2e%2fup.h5", [0x89, 0x48]), "'..' is not allowed");
        yield return new("optimise a file outside the roots", () => PostJson("/api/datasets/optimize", "{\"file\": \"../x.h5\", \"output\": \"y.h5\"}"), "'..' is not allowed");

        // Other people's things.
        yield return new("cancel another member's job", () => c.Member.PostAsync($"/api/jobs/{c.AdminsJob}/cancel", null), "belongs to", HttpStatusCode.Forbidden);
        yield return new("delete another member's job", () => c.Member.DeleteAsync($"/api/jobs/{c.AdminsJob}"), "belongs to", HttpStatusCode.Forbidden);
        yield return new("predict with another member's model", () => c.Member.PostAsync($"/api/jobs/{c.TrainedJob}/predict",
            new ByteArrayContent(HostileContext.SmallPng())), "belongs to", HttpStatusCode.Forbidden);
        yield return new("manifest of another member's model", () => c.Member.GetAsync($"/api/jobs/{c.TrainedJob}/artifacts/manifest"), "belongs to", HttpStatusCode.Forbidden);
        yield return new("member sets a priority", () => c.Member.PutAsJsonAsync($"/api/jobs/{c.AdminsJob}/priority", 5), null, HttpStatusCode.Forbidden);
        yield return new("member adds a user", () => c.Member.PostAsync("/api/users",
            new StringContent("{\"email\":\"x@y.z\",\"password\":\"member-password-2\",\"role\":\"admin\"}", Encoding.UTF8, "application/json")), null, HttpStatusCode.Forbidden);
    }

    private static string SweepJson(string file, string grid) =>
        $"{{\"name\": \"hostile\", \"base\": {ContractJson.Serialize(WebTrainerSystem.SmallSpec(file))}, \"grid\": {{ {grid} }} }}";
}
