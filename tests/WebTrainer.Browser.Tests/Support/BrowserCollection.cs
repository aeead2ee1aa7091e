using WebTrainer.Testing;

namespace WebTrainer.Browser.Tests.Support;

/// <summary>All browser tests share one PostgreSQL server and one Chromium; each class starts its own WebTrainer.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}
