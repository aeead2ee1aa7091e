using Dapper;
using Npgsql;

namespace WebTrainer.Shared.Storage;

/// <summary>
/// The <c>dataset_files</c> table: who put each uploaded file into a data root, for the overwrite and delete
/// checks, the owner shown in the datasets list and the per-member upload quota. Files are named by their
/// data root's real path and their path relative to it, as <c>DataRoots</c> resolves them.
/// </summary>
public sealed class DatasetFileRepository(NpgsqlDataSource dataSource)
{
    // Column order and names follow DatasetFileOwner's constructor, which Dapper fills by position.
    private const string Select =
        "SELECT f.root, f.path, f.owner_id AS ownerid, u.email AS owneremail, f.size_bytes AS sizebytes FROM dataset_files f LEFT JOIN users u ON u.id = f.owner_id";

    static DatasetFileRepository() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>The recorded uploader of a file, or null when nobody uploaded it (an operator put it there: the admins').</summary>
    public async Task<DatasetFileOwner?> GetAsync(string root, string path, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DatasetFileOwner>(new CommandDefinition(
            $"{Select} WHERE f.root = @Root AND f.path = @Path", new { Root = root, Path = path }, cancellationToken: cancellationToken));
    }

    /// <summary>Every recorded file, for the datasets list.</summary>
    public async Task<IReadOnlyList<DatasetFileOwner>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DatasetFileOwner>(new CommandDefinition(Select, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Records (or replaces) who owns a file; <paramref name="sizeBytes"/> is null for a file an optimise job will write.</summary>
    public async Task RecordAsync(string root, string path, long ownerId, long? sizeBytes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dataset_files (root, path, owner_id, size_bytes) VALUES (@Root, @Path, @Owner, @Size)
            ON CONFLICT (root, path) DO UPDATE SET owner_id = excluded.owner_id, size_bytes = excluded.size_bytes, uploaded_at = now()
            """,
            new { Root = root, Path = path, Owner = ownerId, Size = sizeBytes }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(string root, string path, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dataset_files WHERE root = @Root AND path = @Path", new { Root = root, Path = path }, cancellationToken: cancellationToken));
    }

    /// <summary>Bytes <paramref name="ownerId"/> keeps in uploaded files, leaving out the one an upload is about to replace.</summary>
    public async Task<long> UsedBytesAsync(long ownerId, string exceptRoot, string exceptPath, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT coalesce(sum(size_bytes), 0)::bigint FROM dataset_files
            WHERE owner_id = @Owner AND NOT (root = @Root AND path = @Path)
            """,
            new { Owner = ownerId, Root = exceptRoot, Path = exceptPath }, cancellationToken: cancellationToken));
    }
}
