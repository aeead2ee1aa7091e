using Npgsql;
using Xunit;

namespace WebTrainer.Testing;

/// <summary>
/// A real PostgreSQL for a test run: the one named by WEBTRAINER_TEST_DATABASE when set, else a
/// private throwaway cluster started by scripts/postgres.sh (stopped on dispose, and by its
/// watchdog if this process dies). Each test class takes a fresh database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string ExtraOptions = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";

    private TempDirectory? _folder;
    private string _adminConnectionString = "";

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("WEBTRAINER_TEST_DATABASE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _adminConnectionString = configured;
            return;
        }
        _folder = new TempDirectory("webtrainer-pg");
        File.SetUnixFileMode(_folder.Path, (UnixFileMode)0b111_101_101);
        await using var start = ManagedProcess.Start("postgres.sh", RepoPaths.Script("postgres.sh"),
            ["start", Path.Combine(_folder.Path, "cluster"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string?> { ["PG_EXTRA_OPTS"] = ExtraOptions });
        var code = await start.WaitForExitAsync(TimeSpan.FromMinutes(2));
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh start failed ({code}):\n{start.Output}");
        }
        _adminConnectionString = start.Lines.Last(l => l.StartsWith("Host=", StringComparison.Ordinal));
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"wt_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The private cluster's folder, for fault tests that stop and restart it; null for a configured server.</summary>
    public string? ClusterFolder => _folder is null ? null : Path.Combine(_folder.Path, "cluster");

    /// <summary>Stops the private server (fault tests); <see cref="ResumeAsync"/> starts it again on the same port.</summary>
    public Task PauseAsync() => ScriptAsync("pause");

    public Task ResumeAsync() => ScriptAsync("resume");

    private async Task ScriptAsync(string command)
    {
        if (ClusterFolder is null)
        {
            throw new InvalidOperationException("Only a private test cluster can be stopped and started (WEBTRAINER_TEST_DATABASE is set).");
        }
        await using var script = ManagedProcess.Start("postgres.sh", RepoPaths.Script("postgres.sh"), [command, ClusterFolder],
            new Dictionary<string, string?> { ["PG_EXTRA_OPTS"] = ExtraOptions });
        var code = await script.WaitForExitAsync(TimeSpan.FromMinutes(1));
        if (code != 0)
        {
            throw new InvalidOperationException($"postgres.sh {command} failed ({code}):\n{script.Output}");
        }
        // This process's pooled connections died with the server; later tests must not get them.
        NpgsqlConnection.ClearAllPools();
    }

    public async Task DisposeAsync()
    {
        if (_folder is null)
        {
            return;
        }
        await using (var stop = ManagedProcess.Start("postgres.sh", RepoPaths.Script("postgres.sh"), ["stop", ClusterFolder!],
            new Dictionary<string, string?>()))
        {
            await stop.WaitForExitAsync(TimeSpan.FromMinutes(1));
        }
        NpgsqlConnection.ClearAllPools();
        _folder.Dispose();
    }
}
