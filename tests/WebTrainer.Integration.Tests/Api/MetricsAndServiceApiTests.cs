using System.Net;
using System.Text.Json;
using Npgsql;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Api;

/// <summary>
/// Metrics, events, workers, health and the OpenAPI document. What a Worker would write is
/// written through the Worker's own repositories, so the API reads what training really stores.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MetricsAndServiceApiTests(PostgresServer server) : WebOnlyTest(server)
{

    [Fact]
    public async Task EpochsBatchesAndEvents_AreServedInOrder_AndFilteredByEpochAndEventId()
    {
        var id = await Web.SubmitOkAsync(WebTrainerSystem.SmallSpec(Dataset, epochs: 2));
        var metrics = new MetricsRepository(Database);
        var start = DateTimeOffset.UtcNow;
        await metrics.AddEventAsync(id, start, "info", "Started on worker test", CancellationToken.None);
        foreach (var epoch in new[] { 1, 2 })
        {
            foreach (var batch in new[] { 5, 10 })
            {
                await metrics.SaveBatchAsync(id, new BatchProgress(epoch, batch, 10, 1.0 / epoch, 0.4 * epoch, 900, start), CancellationToken.None);
            }
            await metrics.SaveEpochAsync(id, new EpochMetrics { Epoch = epoch, TrainLoss = 1.0 / epoch, ValidationAccuracy = 0.4 * epoch }, CancellationToken.None);
        }
        await metrics.AddEventAsync(id, start, "info", "Test accuracy 80 %", CancellationToken.None);

        var epochs = await GetAsync<List<EpochMetrics>>($"/api/jobs/{id}/metrics/epochs");
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.Equal(0.8, epochs[1].ValidationAccuracy!.Value, 6);

        var batches = await GetAsync<List<BatchProgress>>($"/api/jobs/{id}/metrics/batches");
        Assert.Equal([(1, 5), (1, 10), (2, 5), (2, 10)], batches.Select(b => (b.Epoch, b.Batch)));
        var secondEpoch = await GetAsync<List<BatchProgress>>($"/api/jobs/{id}/metrics/batches?epoch=2");
        Assert.Equal([5, 10], secondEpoch.Select(b => b.Batch));
        Assert.All(secondEpoch, b => Assert.Equal(2, b.Epoch));

        var events = await GetAsync<List<JobEvent>>($"/api/jobs/{id}/events");
        Assert.Equal(["Started on worker test", "Test accuracy 80 %"], events.Select(e => e.Message));
        var after = await GetAsync<List<JobEvent>>($"/api/jobs/{id}/events?after={events[0].Id}");
        Assert.Equal(["Test accuracy 80 %"], after.Select(e => e.Message));

        var job = await Web.GetJobAsync(id);
        Assert.Equal(2, job.Summary.Epoch);
        Assert.Equal(0.8, job.Summary.BestValidationAccuracy!.Value, 6);
        Assert.Equal((2, 10), (job.LastBatch!.Epoch, job.LastBatch.Batch));
    }

    [Fact]
    public async Task Workers_ListsWhatWorkersAnnounced()
    {
        var id = await Web.SubmitOkAsync(WebTrainerSystem.SmallSpec(Dataset));
        var workers = new WorkerRepository(Database);
        await workers.HeartbeatAsync("gpu-box:42", "cuda", 8, ["gpu", "default", "cpu"], DateTimeOffset.UtcNow.AddMinutes(-5), id, CancellationToken.None);
        await Db.ExecuteAsync(Web.ConnectionString,
            "INSERT INTO workers VALUES ('old-box:7', 'cpu', 2, '{cpu}', now() - interval '2 hours', now() - interval '1 hour', NULL)");

        var listed = await GetAsync<List<WorkerInfo>>("/api/workers");

        Assert.Equal(["gpu-box:42", "old-box:7"], listed.Select(w => w.Name));
        var gpu = listed[0];
        Assert.Equal(("cuda", 8, id, true), (gpu.Device, gpu.Threads, gpu.CurrentJobId, gpu.Alive));
        Assert.Equal(["gpu", "default", "cpu"], gpu.Queues);
        Assert.False(listed[1].Alive);
    }

    [Fact]
    public async Task Health_Is200_WhenTheDatabaseAnswers()
    {
        using var response = await Web.Http.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndListsTheJobEndpoints()
    {
        using var response = await Web.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = json.RootElement.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/api/jobs"] = ["get", "post"],
            ["/api/jobs/{id}"] = ["get", "delete"],
            ["/api/jobs/{id}/cancel"] = ["post"],
            ["/api/jobs/{id}/clone"] = ["post"],
            ["/api/jobs/{id}/metrics/epochs"] = ["get"],
            ["/api/jobs/{id}/metrics/batches"] = ["get"],
            ["/api/jobs/{id}/events"] = ["get"],
            ["/api/jobs/{id}/artifacts/model"] = ["get"],
            ["/api/jobs/{id}/artifacts/tensorboard"] = ["get"],
            ["/api/jobs/{id}/artifacts/metrics.csv"] = ["get"],
            ["/api/datasets"] = ["get"],
            ["/api/workers"] = ["get"],
        };
        foreach (var (path, methods) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var operations), $"{path} is missing from the OpenAPI document");
            foreach (var method in methods)
            {
                Assert.True(operations.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is missing");
            }
        }
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheModelDownloadAndItsFormats()
    {
        using var response = await Web.Http.GetAsync("/openapi/v1.json");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var download = json.RootElement.GetProperty("paths").GetProperty("/api/jobs/{id}/artifacts/model").GetProperty("get");
        Assert.Contains(download.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "format");
        Assert.Contains("format=zip (default; model.weights and model.json), torchsharp (model.weights), pt", download.GetProperty("summary").GetString(),
            StringComparison.Ordinal);
    }

    private async Task<T> GetAsync<T>(string path)
    {
        using var response = await Web.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return ContractJson.Deserialize<T>(body);
    }
}
