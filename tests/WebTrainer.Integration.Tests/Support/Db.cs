using Npgsql;

namespace WebTrainer.Integration.Tests.Support;

/// <summary>Direct reads of the database, to check what the API says against what is stored.</summary>
internal static class Db
{
    public static async Task<long> CountAsync(string connectionString, string sql, object? jobId = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (jobId is not null)
        {
            command.Parameters.AddWithValue("job", jobId);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string connectionString, string sql, object? jobId = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (jobId is not null)
        {
            command.Parameters.AddWithValue("job", jobId);
        }
        await command.ExecuteNonQueryAsync();
    }
}
