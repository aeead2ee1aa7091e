using Npgsql;

namespace WebTrainer.Shared.Storage;

/// <summary>
/// Retries a database write until it succeeds: a Worker keeps training while PostgreSQL is away
/// and writes what it holds once the database is back.
/// </summary>
internal static class DatabaseRetry
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static Task RunAsync(Func<CancellationToken, Task> write, Action<Exception>? onFailure, CancellationToken cancellationToken) =>
        RunAsync(async ct =>
        {
            await write(ct);
            return true;
        }, onFailure, cancellationToken);

    /// <summary>Retries a query until it answers, and returns the answer.</summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> query, Action<Exception>? onFailure, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await query(cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                onFailure?.Invoke(ex);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
        }
    }

    public static bool IsTransient(Exception ex) => ex switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql is PostgresException { SqlState: "57P01" or "57P02" or "57P03" },
        System.Net.Sockets.SocketException or IOException or TimeoutException => true,
        _ => false,
    };
}
