using WebTrainer.Shared.Metrics;

namespace WebTrainer.Web.Metrics;

/// <summary>In-process fan-out of job updates to Blazor components of this Web instance.</summary>
internal sealed class JobUpdateBus
{
    private readonly Lock _gate = new();
    private ImmutableHandlers _handlers = new([]);

    public IDisposable Subscribe(Func<JobUpdate, Task> handler)
    {
        lock (_gate)
        {
            _handlers = new ImmutableHandlers([.. _handlers.Items, handler]);
        }
        return new Subscription(this, handler);
    }

    public async Task PublishAsync(JobUpdate update)
    {
        foreach (var handler in _handlers.Items)
        {
            await handler(update);
        }
    }

    private void Unsubscribe(Func<JobUpdate, Task> handler)
    {
        lock (_gate)
        {
            _handlers = new ImmutableHandlers(_handlers.Items.Where(h => h != handler).ToArray());
        }
    }

    private sealed record ImmutableHandlers(Func<JobUpdate, Task>[] Items);

    private sealed class Subscription(JobUpdateBus bus, Func<JobUpdate, Task> handler) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(handler);
    }
}
