using System.Threading.Channels;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Web.Metrics;

/// <summary>
/// In-process fan-out of job updates to Blazor components of this Web instance. Each subscriber
/// has its own queue, handled in order on its own task, so a slow one (a page that queries the
/// database on a status change) delays only itself, never the relay or the other pages.
/// </summary>
internal sealed class JobUpdateBus
{
    private readonly Lock _gate = new();
    private Subscriber[] _subscribers = [];

    public IDisposable Subscribe(Func<JobUpdate, Task> handler)
    {
        var subscriber = new Subscriber(this, handler);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }
        return subscriber;
    }

    /// <summary>Queues <paramref name="update"/> for every subscriber; the task completes when all have handled it (the relay does not wait).</summary>
    public Task PublishAsync(JobUpdate update)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        return subscribers.Length == 0 ? Task.CompletedTask : Task.WhenAll(subscribers.Select(s => s.Enqueue(update)));
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscriber)];
        }
    }

    private sealed class Subscriber : IDisposable
    {
        private readonly JobUpdateBus _bus;
        private readonly Func<JobUpdate, Task> _handler;
        private readonly Channel<(JobUpdate Update, TaskCompletionSource Handled)> _queue =
            Channel.CreateUnbounded<(JobUpdate, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

        public Subscriber(JobUpdateBus bus, Func<JobUpdate, Task> handler)
        {
            _bus = bus;
            _handler = handler;
            _ = Task.Run(PumpAsync);
        }

        public Task Enqueue(JobUpdate update)
        {
            var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _queue.Writer.TryWrite((update, handled)) ? handled.Task : Task.CompletedTask;
        }

        public void Dispose()
        {
            _bus.Unsubscribe(this);
            _queue.Writer.TryComplete();
        }

        private async Task PumpAsync()
        {
            await foreach (var (update, handled) in _queue.Reader.ReadAllAsync())
            {
                try
                {
                    await _handler(update);
                }
                catch (Exception)
                {
                    // A page that fails on one update (a circuit gone) still gets the next; the relay logs nothing for it.
                }
                finally
                {
                    handled.TrySetResult();
                }
            }
        }
    }
}
