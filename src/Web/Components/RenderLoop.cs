namespace WebTrainer.Web.Components;

/// <summary>
/// Calls a page back at a fixed pace while it is open. Pages collect live updates as they come
/// and apply them here, so a busy job costs a few renders a second, not one per update.
/// </summary>
internal sealed class RenderLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RenderLoop(TimeSpan period, Func<CancellationToken, Task> tick)
    {
        _loop = RunAsync(period, tick, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static async Task RunAsync(TimeSpan period, Func<CancellationToken, Task> tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await tick(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed tick (the circuit went away, the database blinked) must not end the page's updates.
            }
        }
    }
}
