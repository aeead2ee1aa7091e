using WebTrainer.Testing;
using WebTrainer.Worker.Samples;

namespace WebTrainer.Bench.Load;

/// <summary>A private PostgreSQL, one Web and one Worker process on loopback, for the load benchmark.</summary>
internal sealed class LoadSystem : IAsyncDisposable
{
    private readonly PostgresServer _postgres = new();
    private readonly TempDirectory _folder = new("webtrainer-load");
    private readonly List<ManagedProcess> _processes = [];

    public string ApiKey { get; } = "wt_load_" + Guid.NewGuid().ToString("N");
    public Uri Address { get; private set; } = null!;
    public string DataFile => "stripes.h5";

    public async Task StartAsync(int port)
    {
        await _postgres.InitializeAsync();
        var data = Path.Combine(_folder.Path, "data");
        Directory.CreateDirectory(data);
        await DatasetCommand.RunAsync(["synth", "--out", Path.Combine(data, DataFile), "--count", "600", "--size", "16", "--classes", "4"], CancellationToken.None);
        Address = new Uri($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = await _postgres.CreateDatabaseAsync(),
            ["DataRoots__0"] = data,
            ["Artifacts__Root"] = Path.Combine(_folder.Path, "artifacts"),
            ["Auth__BootstrapAdmin__Email"] = "load@webtrainer.test",
            ["Auth__BootstrapAdmin__Password"] = "load-password-1",
            ["Auth__BootstrapAdmin__ApiKey"] = ApiKey,
            // One person submits the whole burst: the per-person limit must not hold it back from being queued.
            ["JobQueue__MaxRunningPerUser"] = "1",
            ["Worker__Threads"] = "1",
            ["OMP_NUM_THREADS"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__Hangfire"] = "Information",
            ["ASPNETCORE_URLS"] = Address.ToString(),
            ["Helpers__WorkerPath"] = RepoPaths.WorkerDll,
        };
        var web = ManagedProcess.StartDotnet("web", RepoPaths.WebDll, environment, "--contentRoot", RepoPaths.WebContentRoot);
        _processes.Add(web);
        await web.WaitForLineAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        var worker = ManagedProcess.StartDotnet("worker", RepoPaths.WorkerDll, environment);
        _processes.Add(worker);
        await worker.WaitForLineAsync(l => l.Contains("all the dispatchers started", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await _postgres.DisposeAsync();
        _folder.Dispose();
    }
}
