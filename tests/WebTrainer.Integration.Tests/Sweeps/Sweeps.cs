using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Integration.Tests.Sweeps;

/// <summary>Sweep requests written as a REST client writes them: JSON with a base spec and a grid or random search.</summary>
internal static class Sweeps
{
    public static JsonObject Grid(string name, JobSpec baseSpec, string grid) => new()
    {
        ["name"] = name,
        ["base"] = JsonSerializer.SerializeToNode(baseSpec, ContractJson.Options),
        ["grid"] = JsonNode.Parse(grid),
    };

    public static JsonObject Random(string name, JobSpec baseSpec, int count, int seed, string space) => new()
    {
        ["name"] = name,
        ["base"] = JsonSerializer.SerializeToNode(baseSpec, ContractJson.Options),
        ["random"] = new JsonObject { ["count"] = count, ["seed"] = seed, ["space"] = JsonNode.Parse(space) },
    };

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject request) =>
        client.PostAsync("/api/sweeps", new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

    public static async Task<SweepCreated> PostOkAsync(HttpClient client, JsonObject request)
    {
        using var response = await PostAsync(client, request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sweep failed {(int)response.StatusCode}: {body}");
        return ContractJson.Deserialize<SweepCreated>(body);
    }

    public static async Task<SweepDetail> GetAsync(HttpClient client, long id) =>
        ContractJson.Deserialize<SweepDetail>(await client.GetStringAsync($"/api/sweeps/{id}"));

    public static async Task<JobDetail> JobAsync(HttpClient client, long id) =>
        (await client.GetFromJsonAsync<JobDetail>($"/api/jobs/{id}", ContractJson.Options))!;
}
