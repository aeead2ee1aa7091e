namespace WebTrainer.Shared.Storage;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Npgsql connection string of the PostgreSQL that holds jobs, metrics and Hangfire's queue.</summary>
    public string ConnectionString { get; set; } = "";
}
