using Npgsql;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Support;

/// <summary>
/// The base of tests against a real Web and database with no Worker: submitted jobs stay queued and
/// other states are written to the database, as a Worker would. Each class gets its own database and
/// a small synthetic dataset under the data root.
/// </summary>
public abstract class WebOnlyTest(PostgresServer server) : IAsyncLifetime
{
    protected WebTrainerSystem Web { get; private set; } = null!;

    /// <summary>The system's database, for writing what a Worker would and reading what the Web stored.</summary>
    protected NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>The synthetic dataset's path relative to the data root, as a job spec names it.</summary>
    protected string Dataset { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Web = await WebTrainerSystem.CreateAsync(server);
        Dataset = await Web.AddSyntheticDatasetAsync(count: 200);
        await Web.StartWebAsync();
        Database = NpgsqlDataSource.Create(Web.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        await Web.DisposeAsync();
    }
}
