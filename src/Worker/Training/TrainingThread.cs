using System.Collections.Concurrent;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Runs a training run's async code on one dedicated thread: every continuation after an await (the
/// loader's next batch) comes back to it instead of to whichever thread-pool thread is free. libgomp
/// keeps a team of worker threads per thread that starts parallel work, so a step that hops between
/// pool threads grows several teams that wait on the same 2 cores; one thread keeps one team, and
/// keeps the step off the pool threads the loader's producer needs.
/// </summary>
internal static class TrainingThread
{
    public static Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new SingleThreadContext();
            SynchronizationContext.SetSynchronizationContext(context);
            Task<T> task;
            try
            {
                task = work();
            }
            catch (Exception ex)
            {
                result.SetException(ex);
                return;
            }
            task.ContinueWith(_ => context.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            context.RunUntilComplete();
            if (task.IsCanceled)
            {
                result.SetCanceled();
            }
            else if (task.Exception is { } failed)
            {
                result.SetException(failed.InnerExceptions);
            }
            else
            {
                result.SetResult(task.Result);
            }
        })
        { IsBackground = true, Name = "training" };
        thread.Start();
        return result.Task;
    }

    private sealed class SingleThreadContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                _queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                // Completed: a late continuation (a loader's cleanup) runs where it was raised.
                d(state);
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("the training thread does not wait for itself");

        public override SynchronizationContext CreateCopy() => this;

        public void Complete() => _queue.CompleteAdding();

        public void RunUntilComplete()
        {
            foreach (var (callback, state) in _queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        }
    }
}
