using Npgsql;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Deployment;

/// <summary>
/// scripts/postgres.sh, which run.sh uses for its private database: a generated password is required (no
/// other local account gets in), and as root a clone under a folder the database user cannot traverse
/// (/root is 0700 on Debian) still gets a cluster, without that folder's permissions changing.
/// </summary>
public sealed class PrivatePostgresTests
{
    [Fact]
    public async Task PrivateCluster_AnswersWithItsPassword_AndRefusesAConnectionWithout()
    {
        using var folder = new TempDirectory("pg-auth");
        File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_101_101);
        var cluster = Path.Combine(folder.Path, "cluster");
        var connectionString = await StartAsync(cluster);
        try
        {
            Assert.Contains("Password=", connectionString, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cluster, "password")));
            await using (var ok = new NpgsqlConnection(connectionString))
            {
                await ok.OpenAsync();
            }
            var withoutPassword = new NpgsqlConnectionStringBuilder(connectionString) { Password = null, Passfile = "/dev/null" };
            await using var refused = new NpgsqlConnection(withoutPassword.ConnectionString);
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => refused.OpenAsync());
            Assert.Contains("password", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await ScriptAsync("stop", cluster);
        }
    }

    [RootFact]
    public async Task AsRoot_AClusterUnderAPrivateFolder_StartsElsewhere_AndLeavesTheFolderPrivate()
    {
        using var folder = new TempDirectory("pg-private");
        File.SetUnixFileMode(folder.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cluster = Path.Combine(folder.Path, "clone", ".data", "postgres");
        var connectionString = await StartAsync(cluster);
        string? elsewhere = null;
        try
        {
            elsewhere = (await File.ReadAllTextAsync(Path.Combine(cluster, "cluster"))).Trim();
            Assert.StartsWith("/var/lib/webtrainer/clusters/", elsewhere, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(elsewhere, "data", "PG_VERSION")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.Path));
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
        }
        finally
        {
            await ScriptAsync("stop", cluster);
            if (elsewhere is not null)
            {
                Directory.Delete(elsewhere, recursive: true);
            }
        }
    }

    private static async Task<string> StartAsync(string cluster)
    {
        var output = await ScriptAsync("start", cluster);
        return output.Split('\n').Last(l => l.StartsWith("Host=", StringComparison.Ordinal));
    }

    private static async Task<string> ScriptAsync(string command, string cluster)
    {
        await using var script = ManagedProcess.Start("postgres.sh", RepoPaths.Script("postgres.sh"), [command, cluster],
            new Dictionary<string, string?> { ["PG_EXTRA_OPTS"] = "-c fsync=off" });
        var code = await script.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"postgres.sh {command} exited {code}:\n{script.Output}");
        return script.Output;
    }
}
