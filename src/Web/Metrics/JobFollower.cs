using WebTrainer.Shared.Metrics;

namespace WebTrainer.Web.Metrics;

/// <summary>
/// Loads a job's history and then follows its live updates without losing or repeating any: it
/// subscribes first, buffers what arrives while the history loads, then passes on the buffered
/// updates and every later one, each only if it is newer than what the reader already holds.
/// </summary>
internal sealed class JobFollower : IDisposable
{
    private readonly long _jobId;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<JobUpdate> _buffered = [];
    private readonly IDisposable _subscription;
    private Func<JobUpdate, Task>? _deliver;
    private JobProgressMarks? _marks;

    public JobFollower(JobUpdateBus bus, long jobId)
    {
        _jobId = jobId;
        _subscription = bus.Subscribe(OnUpdateAsync);
    }

    /// <summary>
    /// Runs <paramref name="load"/>, hands the history to <paramref name="show"/>, then hands
    /// <paramref name="deliver"/> the updates that the history lacks, in the order they arrived, and
    /// every later new one. Null when the loader found no job (then neither is called).
    /// </summary>
    /// <remarks>
    /// <paramref name="show"/> runs before any update is delivered: an update applied to a page that does
    /// not hold its history yet would find nothing to add to, or land before the epochs it follows.
    /// </remarks>
    public async Task<JobHistory?> StartAsync(Func<CancellationToken, Task<JobHistory?>> load, Action<JobHistory> show,
        Func<JobUpdate, Task> deliver, CancellationToken cancellationToken)
    {
        var history = await load(cancellationToken);
        if (history is null)
        {
            return null;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _marks = JobProgressMarks.Of(history);
            show(history);
            foreach (var update in _buffered.Where(_marks.Advance))
            {
                await deliver(update);
            }
            _buffered.Clear();
            _deliver = deliver;
        }
        finally
        {
            _gate.Release();
        }
        return history;
    }

    // The gate is left to the GC: an update in flight may still release it after the page is gone.
    public void Dispose() => _subscription.Dispose();

    private async Task OnUpdateAsync(JobUpdate update)
    {
        if (update.JobId != _jobId)
        {
            return;
        }
        // The relay delivers updates one at a time; the gate only orders them against StartAsync.
        await _gate.WaitAsync();
        try
        {
            if (_deliver is null)
            {
                _buffered.Add(update);
            }
            else if (_marks!.Advance(update))
            {
                await _deliver(update);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
