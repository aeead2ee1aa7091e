using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Bench.Load;

/// <summary>
/// <c>load [--clients 200] [--submissions 1000] [--concurrency 50] [--follow-seconds 20]</c>: on loopback, N SignalR
/// clients follow one running job (delivery latency = arrival − the Worker's timestamp of the batch), then a burst of
/// job submissions (submit latency; all must be queued, none lost). Bounded in count and time; stops by itself.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        int clients = Option(args, "--clients", 200), submissions = Option(args, "--submissions", 1000);
        int concurrency = Option(args, "--concurrency", 50), followSeconds = Option(args, "--follow-seconds", 20);

        await using var system = new LoadSystem();
        Console.WriteLine("Starting PostgreSQL, Web and Worker on loopback…");
        await system.StartAsync(FreePort());
        using var http = new HttpClient { BaseAddress = system.Address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", system.ApiKey);

        var running = await SubmitAsync(http, Spec(system.DataFile, "followed", epochs: 500, batchSize: 8));
        await WaitForBatchesAsync(http, running!.Value, cancellationToken);

        var latencies = new ConcurrentBag<double>();
        var received = new long[clients];
        var connections = await ConnectAsync(system, clients, running.Value, latencies, received, cancellationToken);
        Console.WriteLine($"{connections.Count} SignalR clients follow job {running}; measuring for {followSeconds} s…");
        latencies.Clear();
        Array.Clear(received);
        await Task.Delay(TimeSpan.FromSeconds(followSeconds), cancellationToken);
        var delivery = latencies.ToList();
        var perClient = received.ToArray();

        Console.WriteLine($"Submitting {submissions} jobs, {concurrency} at a time…");
        var submit = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<int, int>();
        var burst = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(concurrency))
        {
            await Task.WhenAll(Enumerable.Range(0, submissions).Select(async i =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var start = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync("/api/jobs",
                        JsonContent.Create(Spec(system.DataFile, $"burst-{i}", 1, 32), options: ContractJson.Options), cancellationToken);
                    submit.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        burst.Stop();
        var queued = ContractJson.Deserialize<JobListPage>(await http.GetStringAsync("/api/jobs?status=Queued&search=burst-&pageSize=1", cancellationToken)).Total;

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
        await http.PostAsync($"/api/jobs/{running}/cancel", null, cancellationToken);

        Console.WriteLine();
        Console.WriteLine($"WebTrainer load benchmark, loopback, {Environment.ProcessorCount} cores, one Web and one Worker process, private PostgreSQL");
        Console.WriteLine(Percentiles.Line($"metric delivery ({connections.Count} clients)", delivery));
        Console.WriteLine(FormattableString.Invariant(
            $"{"  batch updates per client",-34} min={perClient.Min()} median={Percentiles.Of(perClient.Select(n => (double)n).ToList(), 50):F0} max={perClient.Max()} over {followSeconds} s"));
        Console.WriteLine(Percentiles.Line($"submit ({submissions}, {concurrency} at a time)", submit.ToList()));
        Console.WriteLine(FormattableString.Invariant(
            $"{"  burst",-34} {burst.Elapsed.TotalSeconds:F1} s, {submissions / burst.Elapsed.TotalSeconds:F0} submissions/s; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}"));
        Console.WriteLine($"{"  queued afterwards",-34} {queued} of {submissions} ({(queued == submissions ? "none lost" : "LOST " + (submissions - queued))})");
        return queued == submissions && statuses.Keys.All(s => s == 201) ? 0 : 1;
    }

    private static async Task<List<HubConnection>> ConnectAsync(LoadSystem system, int clients, long jobId, ConcurrentBag<double> latencies,
        long[] received, CancellationToken cancellationToken)
    {
        var connections = new ConcurrentBag<HubConnection>();
        using var gate = new SemaphoreSlim(20);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(system.Address, "/hubs/jobs"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(system.ApiKey))
                    .AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions))
                    .Build();
                connection.On<JobUpdate>("update", update =>
                {
                    if (update.Batch is { } batch)
                    {
                        latencies.Add((DateTimeOffset.UtcNow - batch.RecordedAt).TotalMilliseconds);
                        Interlocked.Increment(ref received[i]);
                    }
                });
                await connection.StartAsync(cancellationToken);
                await connection.InvokeAsync("Follow", jobId, cancellationToken);
                connections.Add(connection);
            }
            finally
            {
                gate.Release();
            }
        }));
        return connections.ToList();
    }

    private static JobSpec Spec(string file, string name, int epochs, int batchSize) => new()
    {
        Name = name,
        Dataset = new DatasetSpec { File = file, Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" } },
        Training = new TrainingSpec { Epochs = epochs, BatchSize = batchSize, Device = "cpu", CheckpointEveryBatches = 0 },
    };

    private static async Task<long?> SubmitAsync(HttpClient http, JobSpec spec)
    {
        using var response = await http.PostAsync("/api/jobs", JsonContent.Create(spec, options: ContractJson.Options));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? ContractJson.Deserialize<JobCreated>(body).Id : throw new InvalidOperationException(body);
    }

    private static async Task WaitForBatchesAsync(HttpClient http, long id, CancellationToken cancellationToken)
    {
        for (int i = 0; i < 240; i++)
        {
            var job = ContractJson.Deserialize<JobDetail>(await http.GetStringAsync($"/api/jobs/{id}", cancellationToken));
            if (job.LastBatch is not null)
            {
                return;
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new TimeoutException($"job {id} reported no batch within 2 minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
