using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Support;

/// <summary>All integration tests share one PostgreSQL server; each class creates its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
