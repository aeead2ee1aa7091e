using Npgsql;

namespace WebTrainer.Shared.Storage;

/// <summary>What a <see cref="PostgresListener"/> does on its channel.</summary>
public sealed record ListenLoop
{
    public required string Channel { get; init; }

    /// <summary>Each notification's payload, as it arrives (on Npgsql's thread: hand it on, don't block).</summary>
    public Action<string>? OnNotification { get; init; }

    /// <summary>After connecting, before listening: false means not now (another process leads); retried after <see cref="NotAcquiredDelay"/>.</summary>
    public Func<NpgsqlConnection, CancellationToken, Task<bool>>? Acquire { get; init; }

    public TimeSpan NotAcquiredDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Once listening (after every reconnect).</summary>
    public Action? OnListening { get; init; }

    /// <summary>Right after listening starts and after every wake-up (a notification or <see cref="WakeInterval"/>): catch up, poll, dispatch.</summary>
    public Func<CancellationToken, Task>? OnWake { get; init; }

    /// <summary>Wake up at least this often; null waits for notifications only.</summary>
    public TimeSpan? WakeInterval { get; init; }

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
